#include "core/routing/circuit_breaker.hpp"

#include <gtest/gtest.h>

namespace sluice::core::routing {
namespace {

using Clock = CircuitBreaker::Clock;

TEST(CircuitBreakerTest, OpensAfterThreeConsecutiveFailures) {
    CircuitBreaker breaker;
    const Clock::time_point now{};
    EXPECT_FALSE(breaker.onFailure(now));
    EXPECT_FALSE(breaker.onFailure(now));
    EXPECT_TRUE(breaker.onFailure(now));
    EXPECT_EQ(breaker.state(), CircuitState::Open);
    EXPECT_FALSE(breaker.admits(now + std::chrono::seconds(59)));
    EXPECT_FALSE(breaker.tryAcquire(now + std::chrono::seconds(59)));
}

TEST(CircuitBreakerTest, SuccessResetsTheFailureCount) {
    CircuitBreaker breaker;
    const Clock::time_point now{};
    breaker.onFailure(now);
    breaker.onFailure(now);
    breaker.onSuccess();
    breaker.onFailure(now);
    breaker.onFailure(now);
    EXPECT_EQ(breaker.state(), CircuitState::Closed);
}

TEST(CircuitBreakerTest, AdmitsExactlyOneProbeAfterTheOpenPeriod) {
    CircuitBreaker breaker;
    const Clock::time_point now{};
    for (int i = 0; i < 3; ++i) {
        breaker.onFailure(now);
    }
    const auto later = now + CircuitBreaker::kOpenFor;
    EXPECT_TRUE(breaker.admits(later));
    EXPECT_TRUE(breaker.tryAcquire(later));
    EXPECT_EQ(breaker.state(), CircuitState::HalfOpen);
    EXPECT_FALSE(breaker.tryAcquire(later));
    EXPECT_FALSE(breaker.admits(later));
}

TEST(CircuitBreakerTest, ProbeSuccessClosesAndProbeFailureReopens) {
    CircuitBreaker closing;
    CircuitBreaker reopening;
    const Clock::time_point now{};
    for (int i = 0; i < 3; ++i) {
        closing.onFailure(now);
        reopening.onFailure(now);
    }
    const auto later = now + CircuitBreaker::kOpenFor;
    ASSERT_TRUE(closing.tryAcquire(later));
    EXPECT_TRUE(closing.onSuccess());
    EXPECT_EQ(closing.state(), CircuitState::Closed);

    ASSERT_TRUE(reopening.tryAcquire(later));
    EXPECT_TRUE(reopening.onFailure(later));
    EXPECT_EQ(reopening.state(), CircuitState::Open);
    EXPECT_EQ(reopening.reopensAt(), later + CircuitBreaker::kOpenFor);
}

TEST(CircuitBreakerTest, NeutralOutcomeReleasesTheProbe) {
    CircuitBreaker breaker;
    const Clock::time_point now{};
    for (int i = 0; i < 3; ++i) {
        breaker.onFailure(now);
    }
    const auto later = now + CircuitBreaker::kOpenFor;
    ASSERT_TRUE(breaker.tryAcquire(later));
    breaker.onNeutral();
    EXPECT_TRUE(breaker.tryAcquire(later));
}

}  // namespace
}  // namespace sluice::core::routing
