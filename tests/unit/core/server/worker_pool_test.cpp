#include "core/server/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <future>

namespace sluice::core::server {
namespace {

TEST(WorkerPool, RunsEveryJobSubmitted) {
    WorkerPool pool(3, 100);
    std::atomic<int> ran{0};
    for (int i = 0; i < 50; ++i) {
        ASSERT_TRUE(pool.submit([&ran] { ++ran; }));
    }
    pool.stop();
    EXPECT_EQ(ran.load(), 50);
}

TEST(WorkerPool, RefusesWorkPastItsQueueWhileEveryThreadIsBusy) {
    WorkerPool pool(1, 1);
    std::promise<void> release;
    std::shared_future<void> released = release.get_future().share();
    std::promise<void> running;
    ASSERT_TRUE(pool.submit([&running, released] {
        running.set_value();
        released.wait();
    }));
    running.get_future().wait();
    EXPECT_TRUE(pool.submit([] {})) << "one may wait";
    EXPECT_FALSE(pool.submit([] {})) << "the queue is full";
    release.set_value();
    pool.stop();
    EXPECT_FALSE(pool.submit([] {})) << "a stopped pool takes nothing";
}

}  // namespace
}  // namespace sluice::core::server
