#include "core/observability/alerts/alert_rules.hpp"

#include <gtest/gtest.h>

#include <set>

namespace sluice::core::observability::alerts {
namespace {

using routing::AccountCondition;
using routing::OperatorState;

const sdk::TimePoint kRulesNow{std::chrono::seconds(1'800'000'000)};

Thresholds thresholds() {
    return {10.0, 25.0, 20, std::chrono::minutes(5)};
}

PoolReading pool(const std::string& name, std::size_t ready, std::size_t cooling = 0) {
    PoolReading reading;
    reading.name = name;
    reading.capacity.accounts = ready + cooling;
    reading.capacity.by_state[static_cast<std::size_t>(OperatorState::Ready)] = ready;
    reading.capacity.by_state[static_cast<std::size_t>(OperatorState::CoolingDown)] = cooling;
    return reading;
}

std::vector<std::string> signalIds(const std::vector<Signal>& signals) {
    std::vector<std::string> out;
    for (const Signal& signal : signals) {
        out.push_back(signal.id);
    }
    return out;
}

TEST(AlertRulesTest, AnAccountWithoutAUsableLoginNeedsSignInAndOthersDoNot) {
    Reading reading;
    reading.accounts = {
        {"acct-1", "alice", "team", AccountCondition::ReauthRequired, "needs a new login"},
        {"acct-2", "", "team", AccountCondition::NoCredentials, "cannot decrypt"},
        {"acct-3", "carol", "team", AccountCondition::UsageLimited, "usage limit"},
        {"acct-4", "dave", "team", AccountCondition::Paused, "paused by an operator"},
    };
    const auto signals = evaluateRules(reading, thresholds());
    ASSERT_EQ(signalIds(signals), (std::vector<std::string>{"account_needs_sign_in:acct-1",
                                                            "account_needs_sign_in:acct-2"}));
    EXPECT_EQ(signals[0].account, "acct-1");
    EXPECT_EQ(signals[0].pool, "team");
    EXPECT_EQ(signals[0].summary,
              "account alice in pool team needs a new sign-in: needs a new login");
    EXPECT_NE(signals[1].summary.find("account acct-2 "), std::string::npos);  // no label
    EXPECT_EQ(severityOf(signals[0].rule), Severity::Warning);
}

TEST(AlertRulesTest, CapacityBelowTheThresholdFiresPerWindowCountingUnknownAccountsAsFull) {
    PoolReading low = pool("team", 2);
    low.capacity.five_hour = {2, 2, 15.0, kRulesNow + std::chrono::minutes(40)};  // 7.5% average
    low.capacity.weekly = {2, 1, 0.0, std::nullopt};  // one known at 0, one unknown: 50%
    Reading reading;
    reading.pools = {low};
    auto signals = evaluateRules(reading, thresholds());
    ASSERT_EQ(signalIds(signals), (std::vector<std::string>{"pool_capacity_low:team:five_hour"}));
    EXPECT_EQ(signals[0].summary,
              "pool team has 7% of its 5-hour quota left (below 10%); next reset "
              "2027-01-15T08:40:00Z");

    reading.pools[0].capacity.weekly = {2, 2, 19.0, std::nullopt};  // 9.5%
    signals = evaluateRules(reading, thresholds());
    EXPECT_EQ(signalIds(signals), (std::vector<std::string>{"pool_capacity_low:team:five_hour",
                                                            "pool_capacity_low:team:weekly"}));
    Thresholds off = thresholds();
    off.capacity_below_percent = 0;
    EXPECT_TRUE(evaluateRules(reading, off).empty());
    reading.pools[0].capacity.five_hour.known = 0;  // no evidence: nothing is known to be low
    reading.pools[0].capacity.weekly.known = 0;
    EXPECT_TRUE(evaluateRules(reading, thresholds()).empty());
}

TEST(AlertRulesTest, APoolWithNoReadyAccountIsExhaustedUntilItsEarliestReset) {
    PoolReading out = pool("team", 0, 2);
    out.capacity.five_hour = {2, 2, 0.0, kRulesNow + std::chrono::hours(2)};
    out.capacity.weekly = {2, 2, 200.0, kRulesNow + std::chrono::hours(1)};
    Reading reading;
    reading.pools = {out, pool("night", 1), pool("empty", 0)};
    const auto signals = evaluateRules(reading, thresholds());
    ASSERT_EQ(signalIds(signals), (std::vector<std::string>{"pool_exhausted:team",
                                                            "pool_capacity_low:team:five_hour"}));
    EXPECT_EQ(signals[0].summary,
              "pool team: no account can serve now (2 cooling down, 0 paused, 0 needing "
              "sign-in); the earliest window reset is 2027-01-15T09:00:00Z");
    EXPECT_EQ(severityOf(signals[0].rule), Severity::Critical);
}

TEST(AlertRulesTest, TheErrorRateFiresAboveItsThresholdOnlyWithEnoughRequests) {
    PoolReading busy = pool("team", 1);
    busy.requests = 40;
    busy.errors = 11;  // 27.5%
    PoolReading quiet = pool("night", 1);
    quiet.requests = 19;
    quiet.errors = 19;  // all failed, but too few to judge
    PoolReading fine = pool("day", 1);
    fine.requests = 100;
    fine.errors = 25;  // exactly the threshold: not above it
    Reading reading;
    reading.pools = {busy, quiet, fine};
    const auto signals = evaluateRules(reading, thresholds());
    ASSERT_EQ(signalIds(signals), (std::vector<std::string>{"error_rate_high:team"}));
    EXPECT_EQ(signals[0].summary,
              "pool team: 11 of 40 requests failed in the last 5 minutes (27%, above 25%)");
}

TEST(AlertRulesTest, UnreachableStorageAndSharedStateAreDegraded) {
    Reading reading;
    reading.storage_unreachable = true;
    reading.shared_state_problem = "connection refused";
    const auto signals = evaluateRules(reading, thresholds());
    ASSERT_EQ(signalIds(signals), (std::vector<std::string>{"storage_degraded:storage",
                                                            "storage_degraded:shared_state"}));
    EXPECT_EQ(signals[1].summary,
              "shared state unreachable (connection refused); this replica serves on local state");
    EXPECT_TRUE(evaluateRules(Reading{}, thresholds()).empty());
}

TEST(AlertRulesTest, EveryRuleHasADistinctName) {
    std::set<std::string> names;
    for (std::size_t i = 0; i < kRules; ++i) {
        names.insert(ruleName(static_cast<Rule>(i)));
    }
    EXPECT_EQ(names.size(), kRules);
}

}  // namespace
}  // namespace sluice::core::observability::alerts
