#include "concurrency_limiter.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace sluice::plugins::route_runner {
namespace {

TEST(ConcurrencyLimiterTest, TryAcquireStopsAtTheLimit) {
    ConcurrencyLimiter limiter(2);
    EXPECT_TRUE(limiter.tryAcquire());
    EXPECT_TRUE(limiter.tryAcquire());
    EXPECT_FALSE(limiter.tryAcquire());
    EXPECT_EQ(limiter.active(), 2);
    limiter.release();
    EXPECT_TRUE(limiter.tryAcquire());
}

TEST(ConcurrencyLimiterTest, AcquireQueuesAndGoesBeforeApiCallers) {
    ConcurrencyLimiter limiter(1);
    ASSERT_TRUE(limiter.tryAcquire());
    std::atomic<bool> got{false};
    std::thread waiter([&] { got = limiter.acquire(); });
    while (limiter.waiting() == 0) {
        std::this_thread::yield();
    }
    limiter.release();
    waiter.join();
    EXPECT_TRUE(got);
    EXPECT_FALSE(limiter.tryAcquire());
}

TEST(ConcurrencyLimiterTest, ShutdownReleasesWaiters) {
    ConcurrencyLimiter limiter(1);
    ASSERT_TRUE(limiter.tryAcquire());
    std::atomic<bool> got{true};
    std::thread waiter([&] { got = limiter.acquire(); });
    while (limiter.waiting() == 0) {
        std::this_thread::yield();
    }
    limiter.shutdown();
    waiter.join();
    EXPECT_FALSE(got);
}

}  // namespace
}  // namespace sluice::plugins::route_runner
