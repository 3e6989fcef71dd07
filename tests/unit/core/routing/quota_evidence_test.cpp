#include "core/routing/quota_evidence.hpp"

#include <gtest/gtest.h>

#include "tests/unit/core/routing/routing_test_clock.hpp"

namespace sluice::core::routing {
namespace {

sdk::TimePoint unix(std::int64_t seconds) {
    return sdk::TimePoint(std::chrono::seconds(seconds));
}

TEST(QuotaEvidenceTest, ReadsBothWindowsFromHeaders) {
    const auto quota = quotaFromHeaders({{"X-Codex-Primary-Used-Percent", "12.5"},
                                         {"x-codex-primary-window-minutes", "300"},
                                         {"x-codex-primary-reset-at", "1800003600"},
                                         {"x-codex-secondary-used-percent", "40"},
                                         {"x-codex-secondary-window-minutes", "10080"}},
                                        kNow);
    ASSERT_TRUE(quota.primary);
    EXPECT_DOUBLE_EQ(quota.primary->used_percent, 12.5);
    EXPECT_EQ(quota.primary->window_minutes, 300);
    EXPECT_EQ(quota.primary->resets_at, unix(1'800'003'600));
    ASSERT_TRUE(quota.secondary);
    EXPECT_EQ(quota.secondary->window_minutes, 10080);
    EXPECT_FALSE(quota.secondary->resets_at);
    EXPECT_EQ(quota.primary->source, QuotaSource::Headers);
}

TEST(QuotaEvidenceTest, IgnoresWindowsThatSayNothing) {
    const auto quota = quotaFromHeaders({{"x-codex-primary-used-percent", "0"}}, kNow);
    EXPECT_TRUE(quota.empty());
}

TEST(QuotaEvidenceTest, MovesAWeeklyWindowReportedAsPrimary) {
    const auto quota = quotaFromHeaders(
        {{"x-codex-primary-used-percent", "70"}, {"x-codex-primary-window-minutes", "10080"}},
        kNow);
    EXPECT_FALSE(quota.primary);
    ASSERT_TRUE(quota.secondary);
    EXPECT_DOUBLE_EQ(quota.secondary->used_percent, 70);
}

TEST(QuotaEvidenceTest, ClassifiesWindowsByTheirLengthNeverBySlot) {
    // Both slots filled the other way round: the 5 h window is primary, the weekly secondary.
    const auto quota = quotaFromHeaders({{"x-codex-primary-used-percent", "70"},
                                         {"x-codex-primary-window-minutes", "10080"},
                                         {"x-codex-secondary-used-percent", "20"},
                                         {"x-codex-secondary-window-minutes", "300"}},
                                        kNow);
    ASSERT_TRUE(quota.primary);
    EXPECT_EQ(quota.primary->window_minutes, 300);
    EXPECT_DOUBLE_EQ(quota.primary->used_percent, 20);
    ASSERT_TRUE(quota.secondary);
    EXPECT_EQ(quota.secondary->window_minutes, 10080);

    // A 5 h window alone in the secondary slot is the primary one.
    const auto lone = quotaFromHeaders(
        {{"x-codex-secondary-used-percent", "20"}, {"x-codex-secondary-window-minutes", "300"}},
        kNow);
    ASSERT_TRUE(lone.primary);
    EXPECT_FALSE(lone.secondary);
}

TEST(QuotaEvidenceTest, ReadsResetAfterSecondsHeaders) {
    const auto quota = quotaFromHeaders({{"x-codex-primary-used-percent", "10"},
                                         {"x-codex-primary-window-minutes", "300"},
                                         {"x-codex-primary-reset-after-seconds", "600"},
                                         {"x-codex-secondary-used-percent", "10"},
                                         {"x-codex-secondary-window-minutes", "10080"},
                                         {"x-codex-secondary-reset-at", "1800090000"},
                                         {"x-codex-secondary-reset-after-seconds", "5"}},
                                        kNow);
    ASSERT_TRUE(quota.primary);
    EXPECT_EQ(quota.primary->resets_at, kNow + std::chrono::seconds(600));
    ASSERT_TRUE(quota.secondary);
    EXPECT_EQ(quota.secondary->resets_at, unix(1'800'090'000));  // the absolute time wins
}

TEST(QuotaEvidenceTest, ReadsPlanTypeAndCreditsHeaders) {
    const auto quota = quotaFromHeaders({{"x-codex-plan-type", "pro"},
                                         {"x-codex-credits-has-credits", "1"},
                                         {"x-codex-credits-unlimited", "false"},
                                         {"x-codex-credits-balance", "12.5"}},
                                        kNow);
    EXPECT_FALSE(quota.empty());
    EXPECT_EQ(quota.plan_type, "pro");
    ASSERT_TRUE(quota.credits);
    EXPECT_TRUE(quota.credits->has_credits);
    EXPECT_FALSE(quota.credits->unlimited);
    EXPECT_EQ(quota.credits->balance, "12.5");

    // Credits need both booleans (codex-protocol §5.1).
    EXPECT_FALSE(quotaFromHeaders({{"x-codex-credits-has-credits", "true"}}, kNow).credits);
}

TEST(QuotaEvidenceTest, ReadsRateLimitEvents) {
    const auto quota = quotaFromRateLimitEvent(
        R"({"type":"codex.rate_limits","rate_limits":{"primary":{"used_percent":100,"window_minutes":300,"reset_after_seconds":60},"secondary":{"used_percent":5,"window_minutes":10080,"resets_at":1800500000}}})",
        kNow);
    ASSERT_TRUE(quota.primary);
    EXPECT_EQ(*quota.primary->resets_at, kNow + std::chrono::seconds(60));
    ASSERT_TRUE(quota.secondary);
    EXPECT_EQ(*quota.secondary->resets_at, unix(1'800'500'000));
    EXPECT_EQ(quota.secondary->source, QuotaSource::Event);
}

TEST(QuotaEvidenceTest, RateLimitEventsCarryPlanAndCreditsAndAreClassifiedByLength) {
    const auto quota = quotaFromRateLimitEvent(
        R"({"type":"codex.rate_limits","plan_type":"team","rate_limits":{"primary":{"used_percent":40,"window_minutes":10080,"reset_at":1800500000},"secondary":null},"credits":{"has_credits":false,"unlimited":true,"balance":"0"}})",
        kNow);
    EXPECT_FALSE(quota.primary);
    ASSERT_TRUE(quota.secondary);
    EXPECT_DOUBLE_EQ(quota.secondary->used_percent, 40);
    EXPECT_EQ(quota.plan_type, "team");
    ASSERT_TRUE(quota.credits);
    EXPECT_TRUE(quota.credits->unlimited);
}

TEST(QuotaEvidenceTest, UsagePayloadCarriesPlanAndCreditsAndIsClassifiedByLength) {
    const auto quota = quotaFromUsagePayload(
        R"({"plan_type":"plus","rate_limit":{"allowed":true,"limit_reached":false,"primary_window":{"used_percent":30,"limit_window_seconds":604800,"reset_after_seconds":100},"secondary_window":{"used_percent":5,"limit_window_seconds":18000,"reset_at":1800001000}},"credits":{"has_credits":true,"unlimited":false,"balance":"3"}})",
        kNow);
    ASSERT_TRUE(quota.primary);
    EXPECT_EQ(quota.primary->window_minutes, 300);
    ASSERT_TRUE(quota.secondary);
    EXPECT_EQ(quota.secondary->window_minutes, 10080);
    EXPECT_EQ(quota.plan_type, "plus");
    ASSERT_TRUE(quota.credits);
    EXPECT_EQ(quota.credits->balance, "3");
    EXPECT_EQ(quota.primary->source, QuotaSource::Probe);
    EXPECT_STREQ(quotaSourceName(quota.primary->source), "probe");
    EXPECT_EQ(quotaSourceNamed("probe"), QuotaSource::Probe);
    EXPECT_EQ(quotaSourceNamed("usage_limit"), QuotaSource::Unknown);
}

// Found by UBSan replaying the fuzz corpus: an upstream's absurd numbers overflowed the clock.
TEST(QuotaEvidenceTest, AbsurdResetTimesAreClampedNotOverflowed) {
    const auto quota = quotaFromRateLimitEvent(
        R"({"rate_limits":{"primary":{"used_percent":100,"reset_after_seconds":9223372036854775807},"secondary":{"used_percent":1,"resets_at":-9223372036854775807}}})",
        kNow);
    ASSERT_TRUE(quota.primary);
    EXPECT_GT(*quota.primary->resets_at, kNow + std::chrono::hours(24 * 365));
    EXPECT_LT(*quota.primary->resets_at, kNow + std::chrono::hours(24 * 366 * 11));
    ASSERT_TRUE(quota.secondary);
    EXPECT_EQ(*quota.secondary->resets_at, unix(0));
    const auto blocked = quotaFromError(
        R"({"error":{"type":"usage_limit_reached","resets_in_seconds":-5,"resets_at":null}})",
        kNow);
    ASSERT_TRUE(blocked.blocked_until);
    EXPECT_EQ(*blocked.blocked_until, kNow);
}

TEST(QuotaEvidenceTest, UsageLimitBodyBlocksUntilItsReset) {
    const auto quota = quotaFromError(
        R"({"error":{"type":"usage_limit_reached","plan_type":"plus","resets_at":1800007200}})",
        kNow);
    ASSERT_TRUE(quota.blocked_until);
    EXPECT_EQ(*quota.blocked_until, unix(1'800'007'200));
}

TEST(QuotaEvidenceTest, FailedStreamEventWithUsageLimitCodeBlocksToo) {
    const auto quota = quotaFromError(
        R"({"type":"response.failed","response":{"error":{"code":"usage_limit_reached","resets_in_seconds":90}}})",
        kNow);
    ASSERT_TRUE(quota.blocked_until);
    EXPECT_EQ(*quota.blocked_until, kNow + std::chrono::seconds(90));
}

TEST(QuotaEvidenceTest, OtherErrorsAreNotQuotaEvidence) {
    EXPECT_TRUE(quotaFromError(R"({"error":{"type":"server_error"}})", kNow).empty());
    EXPECT_TRUE(quotaFromError("not json", kNow).empty());
}

}  // namespace
}  // namespace sluice::core::routing
