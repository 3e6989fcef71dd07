#include "core/routing/pool_quota.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/unit/core/routing/routing_test_clock.hpp"

namespace sluice::core::routing {
namespace {

class PoolQuotaTest : public ::testing::Test {
protected:
    std::shared_ptr<RoutedAccount> account(sdk::AccountStatus status = sdk::AccountStatus::Active,
                                           const std::string& plan = "plus") {
        auto a = std::make_shared<RoutedAccount>();
        a->id = "acct-" + std::to_string(pool_.accounts.size());
        a->status = status;
        a->plan_type = plan;
        a->access_token = "token";
        a->state = std::make_shared<AccountState>();
        pool_.accounts.push_back(a);
        return a;
    }

    static void observe(const RoutedAccount& account, double five_hours, double week,
                        std::chrono::minutes five_hour_reset = std::chrono::minutes(60)) {
        QuotaObservation quota;
        quota.primary = WindowObservation{five_hours, 300, kNow + five_hour_reset};
        quota.secondary = WindowObservation{week, 10080, kNow + std::chrono::hours(72)};
        account.state->applyQuota(quota, kNow);
    }

    PoolRoute pool_;
};

TEST_F(PoolQuotaTest, EachWindowIsTheMeanOfTheAccountsThatAreCapacity) {
    observe(*account(), 40, 10, std::chrono::minutes(90));
    observe(*account(), 80, 30, std::chrono::minutes(30));
    account();                                                // nothing known yet: unused
    observe(*account(sdk::AccountStatus::Paused), 100, 100);  // not capacity
    const PoolQuotaView view = poolQuota(pool_, kNow);
    ASSERT_TRUE(view.primary);
    EXPECT_DOUBLE_EQ(view.primary->used_percent, 40);  // (40 + 80 + 0) / 3
    EXPECT_EQ(view.primary->window_minutes, 300);
    EXPECT_EQ(view.primary->resets_at, kNow + std::chrono::minutes(30));  // the first to reset
    ASSERT_TRUE(view.secondary);
    EXPECT_NEAR(view.secondary->used_percent, 13.33, 0.01);
    EXPECT_EQ(view.secondary->window_minutes, 10080);
    EXPECT_FALSE(view.limit_reached);
    EXPECT_EQ(view.plan_type, "plus");
}

TEST_F(PoolQuotaTest, AUsageLimitedAccountCountsAsUsedUpAndAnEmptyPoolSaysNothing) {
    EXPECT_FALSE(poolQuota(pool_, kNow).primary);
    const auto limited = account();
    QuotaObservation blocked;
    blocked.blocked_until = kNow + std::chrono::minutes(20);
    limited->state->applyQuota(blocked, kNow);
    account();
    const PoolQuotaView view = poolQuota(pool_, kNow);
    ASSERT_TRUE(view.primary);
    EXPECT_DOUBLE_EQ(view.primary->used_percent, 50);
    EXPECT_EQ(view.primary->resets_at, kNow + std::chrono::minutes(20));
    EXPECT_FALSE(view.secondary);
    EXPECT_FALSE(view.limit_reached);
}

TEST_F(PoolQuotaTest, NoAccountReadyMeansTheLimitIsReached) {
    observe(*account(), 100, 20);
    const PoolQuotaView view = poolQuota(pool_, kNow);
    EXPECT_TRUE(view.limit_reached);
    EXPECT_DOUBLE_EQ(view.primary->used_percent, 100);
}

TEST_F(PoolQuotaTest, ReportedPlanAndCreditsAreTheMostCommonPlanAndTheSumOfBalances) {
    for (const char* balance : {"2.5", "4"}) {
        QuotaObservation reported;
        reported.plan_type = "pro";
        reported.credits = CreditsObservation{true, false, balance};
        account(sdk::AccountStatus::Active, "plus")->state->applyQuota(reported, kNow);
    }
    account(sdk::AccountStatus::Active, "plus");
    const PoolQuotaView view = poolQuota(pool_, kNow);
    EXPECT_EQ(view.plan_type, "pro");
    ASSERT_TRUE(view.credits);
    EXPECT_TRUE(view.credits->has_credits);
    EXPECT_EQ(view.credits->balance, "6.5");
}

TEST_F(PoolQuotaTest, AKeyBudgetRaisesItsWindowToTheShareItUsed) {
    observe(*account(), 10, 50);
    PoolQuotaView view = poolQuota(pool_, kNow);
    applyKeyBudget(view, {1000, 600, 10000, 1000}, kNow);
    EXPECT_DOUBLE_EQ(view.primary->used_percent, 60);  // 600 of 1000 today beats the pool's 10%
    const auto midnight = sdk::TimePoint(std::chrono::seconds((1'800'000'000 / 86400 + 1) * 86400));
    EXPECT_EQ(view.primary->resets_at, midnight);
    EXPECT_DOUBLE_EQ(view.secondary->used_percent, 50);  // the pool's 50% beats 10% of the week
}

TEST_F(PoolQuotaTest, HeadersAndEventCarryTheView) {
    PoolQuotaView view;
    view.primary =
        WindowObservation{12.5, 300, sdk::TimePoint(std::chrono::seconds(1'800'003'600))};
    view.plan_type = "team";
    view.credits = CreditsObservation{false, true, "0"};
    const sdk::Headers headers = quotaHeaders(view);
    EXPECT_EQ(sdk::findHeader(headers, "x-codex-primary-used-percent"), "12.5");
    EXPECT_EQ(sdk::findHeader(headers, "x-codex-primary-window-minutes"), "300");
    EXPECT_EQ(sdk::findHeader(headers, "x-codex-primary-reset-at"), "1800003600");
    EXPECT_FALSE(sdk::findHeader(headers, "x-codex-secondary-used-percent"));
    EXPECT_EQ(sdk::findHeader(headers, "x-codex-plan-type"), "team");
    EXPECT_EQ(sdk::findHeader(headers, "x-codex-credits-unlimited"), "true");

    const auto event = nlohmann::json::parse(rateLimitsEvent(view));
    EXPECT_EQ(event["type"], "codex.rate_limits");
    EXPECT_EQ(event["rate_limits"]["primary"]["used_percent"], 12.5);
    EXPECT_EQ(event["rate_limits"]["primary"]["reset_at"], 1800003600);
    EXPECT_TRUE(event["rate_limits"]["secondary"].is_null());
    EXPECT_EQ(event["credits"]["unlimited"], true);

    // The round trip: what the gateway shows reads back as the same windows.
    EXPECT_EQ(quotaFromHeaders(headers, kNow).primary->used_percent, 12.5);
    EXPECT_TRUE(isQuotaHeader("X-Codex-Secondary-Reset-At"));
    EXPECT_TRUE(isQuotaHeader("x-codex-active-limit"));
    EXPECT_FALSE(isQuotaHeader("x-codex-turn-state"));
}

}  // namespace
}  // namespace sluice::core::routing
