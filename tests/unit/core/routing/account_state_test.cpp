#include "core/routing/account_state.hpp"

#include <gtest/gtest.h>

#include "tests/unit/core/routing/routing_test_clock.hpp"

namespace sluice::core::routing {
namespace {

QuotaObservation fiveHours(double used) {
    QuotaObservation quota;
    quota.primary = WindowObservation{used, 300, kNow + std::chrono::hours(1)};
    return quota;
}

TEST(AccountStateTest, TheKnowledgeEpochMovesWhenAWindowFirstBecomesKnownOnly) {
    AccountState state;
    const std::uint64_t before = AccountState::knowledgeEpoch();
    state.applyQuota(fiveHours(10), kNow);
    const std::uint64_t known = AccountState::knowledgeEpoch();
    EXPECT_GT(known, before);
    state.applyQuota(fiveHours(20), kNow);  // usage moving within a known window
    EXPECT_EQ(AccountState::knowledgeEpoch(), known);
    EXPECT_DOUBLE_EQ(state.primary(kNow).used_percent, 20);
}

TEST(AccountStateTest, KeepsThePlanAndCreditsTheUpstreamLastReported) {
    AccountState state;
    EXPECT_TRUE(state.reported()->plan_type.empty());
    QuotaObservation reported;
    reported.plan_type = "pro";
    reported.credits = CreditsObservation{true, false, "3"};
    state.applyQuota(reported, kNow);
    QuotaObservation credits_only;
    credits_only.credits = CreditsObservation{false, false, "0"};
    state.applyQuota(credits_only, kNow);
    EXPECT_EQ(state.reported()->plan_type, "pro");  // kept: the later answer did not say
    ASSERT_TRUE(state.reported()->credits);
    EXPECT_FALSE(state.reported()->credits->has_credits);
}

TEST(AccountStateTest, EachWindowKeepsWhenAndWhereItsLastEvidenceCameFromEvenWhenStale) {
    AccountState state(std::chrono::minutes(15));
    EXPECT_FALSE(state.primaryEvidence());
    QuotaObservation quota = fiveHours(30);
    quota.primary->source = QuotaSource::Probe;
    quota.secondary =
        WindowObservation{5, 10080, kNow + std::chrono::hours(24), QuotaSource::Headers};
    state.applyQuota(quota, kNow - std::chrono::minutes(20));
    quota.primary->source = QuotaSource::Event;
    state.applyQuota(QuotaObservation{quota.primary}, kNow);
    ASSERT_TRUE(state.primaryEvidence());
    EXPECT_EQ(state.primaryEvidence()->source, QuotaSource::Event);
    EXPECT_EQ(state.primaryEvidence()->observed_at, kNow);
    ASSERT_TRUE(state.secondaryEvidence());
    EXPECT_EQ(state.secondaryEvidence()->source, QuotaSource::Headers);
    EXPECT_EQ(state.secondaryEvidence()->observed_at, kNow - std::chrono::minutes(20));
    EXPECT_FALSE(state.secondary(kNow).known);  // too old to route by, still shown with its age
}

}  // namespace
}  // namespace sluice::core::routing
