#include "core/routing/pool_capacity.hpp"

#include <gtest/gtest.h>

#include "tests/unit/core/routing/routing_test_clock.hpp"

namespace sluice::core::routing {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

class PoolCapacityTest : public ::testing::Test {
protected:
    std::shared_ptr<RoutedAccount> account(sdk::AccountStatus status = sdk::AccountStatus::Active) {
        auto a = std::make_shared<RoutedAccount>();
        a->id = "acct-" + std::to_string(pool_.accounts.size());
        a->status = status;
        a->access_token = "token";
        a->access_expires_at = kNow + hours(8);
        a->state = std::make_shared<AccountState>();
        pool_.accounts.push_back(a);
        return a;
    }

    static void observe(const RoutedAccount& account, double five_hours, double week,
                        minutes five_hour_reset, sdk::TimePoint at = kNow) {
        QuotaObservation quota;
        quota.primary = WindowObservation{five_hours, 300, kNow + five_hour_reset};
        quota.secondary = WindowObservation{week, 10080, kNow + hours(72)};
        account.state->applyQuota(quota, at);
    }

    PoolCapacity capacity() const {
        return poolCapacity(
            pool_, [](const RoutedAccount& a) { return standingOf(a, kNow); }, kNow);
    }

    std::size_t count(const PoolCapacity& capacity, OperatorState state) const {
        return capacity.by_state[static_cast<std::size_t>(state)];
    }

    PoolRoute pool_;
};

TEST_F(PoolCapacityTest, RemainingCapacityIsTheSumOfWhatEachKnownAccountHasLeft) {
    observe(*account(), 40, 10, minutes(90));
    observe(*account(), 80, 30, minutes(30));
    account();  // no evidence yet: counted, but adds nothing
    const PoolCapacity pool = capacity();
    EXPECT_EQ(pool.accounts, 3u);
    EXPECT_EQ(pool.five_hour.accounts, 3u);
    EXPECT_EQ(pool.five_hour.known, 2u);
    EXPECT_DOUBLE_EQ(pool.five_hour.remaining_percent, 80.0);  // 60 + 20
    EXPECT_EQ(pool.five_hour.next_reset, kNow + minutes(30));
    EXPECT_DOUBLE_EQ(pool.weekly.remaining_percent, 160.0);  // 90 + 70
    EXPECT_EQ(pool.weekly.next_reset, kNow + hours(72));
    EXPECT_EQ(count(pool, OperatorState::Ready), 3u);
}

TEST_F(PoolCapacityTest, AccountsAwaitingAnOperatorAreNoCapacity) {
    observe(*account(), 20, 20, minutes(60));
    observe(*account(sdk::AccountStatus::Paused), 0, 0, minutes(60));
    observe(*account(sdk::AccountStatus::ReauthRequired), 0, 0, minutes(60));
    account()->access_token.clear();  // credentials that do not decrypt
    const PoolCapacity pool = capacity();
    EXPECT_EQ(pool.five_hour.accounts, 1u);
    EXPECT_DOUBLE_EQ(pool.five_hour.remaining_percent, 80.0);
    EXPECT_EQ(count(pool, OperatorState::Ready), 1u);
    EXPECT_EQ(count(pool, OperatorState::Paused), 1u);
    EXPECT_EQ(count(pool, OperatorState::NeedsSignIn), 2u);
    EXPECT_EQ(count(pool, OperatorState::CoolingDown), 0u);
}

TEST_F(PoolCapacityTest, AUsageLimitedAccountHasNothingLeftUntilItsLimitLifts) {
    const auto limited = account();
    QuotaObservation blocked;
    blocked.blocked_until = kNow + minutes(20);
    limited->state->applyQuota(blocked, kNow);
    observe(*account(), 100, 50, minutes(45));  // a used-up window: cooling down too
    const PoolCapacity pool = capacity();
    EXPECT_EQ(count(pool, OperatorState::CoolingDown), 2u);
    EXPECT_EQ(pool.five_hour.accounts, 2u);
    EXPECT_EQ(pool.five_hour.known, 2u);
    EXPECT_DOUBLE_EQ(pool.five_hour.remaining_percent, 0.0);
    EXPECT_EQ(pool.five_hour.next_reset, kNow + minutes(20));  // the limit lifts first
    EXPECT_EQ(pool.weekly.known, 1u);  // the limited account said nothing of its week
    EXPECT_DOUBLE_EQ(pool.weekly.remaining_percent, 50.0);
}

TEST_F(PoolCapacityTest, StaleEvidenceIsNotCountedAndPastResetsAreNotNext) {
    observe(*account(), 30, 30, minutes(10), kNow - hours(1));  // older than 15 min
    observe(*account(), 50, 50, minutes(-5));                   // its reset already passed
    const PoolCapacity pool = capacity();
    EXPECT_EQ(pool.five_hour.known, 1u);
    EXPECT_DOUBLE_EQ(pool.five_hour.remaining_percent, 50.0);
    EXPECT_FALSE(pool.five_hour.next_reset);
}

TEST(OperatorStateTest, ConditionsThatLiftByThemselvesAreCoolingDown) {
    EXPECT_EQ(operatorStateOf(AccountCondition::CircuitOpen), OperatorState::CoolingDown);
    EXPECT_EQ(operatorStateOf(AccountCondition::TokenExpired), OperatorState::CoolingDown);
    EXPECT_EQ(operatorStateOf(AccountCondition::QuotaExhausted), OperatorState::CoolingDown);
    EXPECT_EQ(operatorStateOf(AccountCondition::Disabled), OperatorState::Paused);
    EXPECT_EQ(operatorStateOf(AccountCondition::NoCredentials), OperatorState::NeedsSignIn);
    EXPECT_TRUE(isCapacity(AccountCondition::CircuitOpen));
    EXPECT_FALSE(isCapacity(AccountCondition::Disabled));
    EXPECT_STREQ(operatorStateName(OperatorState::NeedsSignIn), "needs_sign_in");
    EXPECT_STREQ(operatorStateName(OperatorState::CoolingDown), "cooling_down");
}

}  // namespace
}  // namespace sluice::core::routing
