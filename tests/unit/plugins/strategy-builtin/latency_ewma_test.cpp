#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;

Accounts latencies(const std::vector<std::pair<std::string, double>>& spec) {
    std::vector<std::string> ids;
    for (const auto& [id, ms] : spec) {
        ids.push_back(id);
    }
    Accounts accounts(ids);
    for (const auto& [id, ms] : spec) {
        accounts[id].ewma_latency_ms = ms;
    }
    return accounts;
}

TEST(LatencyEwmaTest, OfTwoTheFasterLeads) {
    const auto strategy = makeStrategy("latency_ewma");
    const Accounts accounts = latencies({{"slow", 900}, {"fast", 120}});

    for (int i = 0; i < 20; ++i) {
        EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"fast", "slow"}));
    }
}

TEST(LatencyEwmaTest, TwoChoicesFavourFastAccountsWithoutHerding) {
    const auto strategy = makeStrategy("latency_ewma");
    const Accounts accounts = latencies({{"a", 100}, {"b", 200}, {"c", 400}, {"d", 800}});

    const auto leads = accounts.leads(*strategy, 1200);
    // The fastest wins every pair it is drawn into (half of them); the slowest never leads.
    EXPECT_NEAR(leads.at("a"), 600, 90);
    EXPECT_GT(leads.at("b"), 250);
    EXPECT_GT(leads.at("c"), 100);
    EXPECT_EQ(leads.count("d"), 0U);
}

TEST(LatencyEwmaTest, RequestsInFlightMultiplyTheLatency) {
    Accounts accounts = latencies({{"fast_busy", 100}, {"slow_idle", 500}});
    accounts["fast_busy"].in_flight = 9;  // expected wait 100 ms x 10

    EXPECT_EQ(accounts.order(*makeStrategy("latency_ewma"), 2), (Ids{"slow_idle", "fast_busy"}));
    EXPECT_EQ(accounts.order(*makeStrategy("latency_ewma", {{"in_flight_penalty", "false"}}), 2),
              (Ids{"fast_busy", "slow_idle"}));
}

TEST(LatencyEwmaTest, UnknownLatencyCountsAsTheMeanOfTheKnownOnes) {
    const auto strategy = makeStrategy("latency_ewma");
    const Accounts accounts = latencies({{"a", 100}, {"b", 200}, {"c", 600}, {"new", 0}});
    // "new" costs the mean, 300: after a and b, before c.
    const std::map<std::string, int> rank{{"a", 0}, {"b", 1}, {"new", 2}, {"c", 3}};

    std::set<std::string> leaders;
    for (int i = 0; i < 100; ++i) {
        const Ids ring = accounts.order(*strategy, 4);
        ASSERT_EQ(ring.size(), 4U);
        leaders.insert(ring.front());
        EXPECT_TRUE(
            std::is_sorted(ring.begin() + 1, ring.end(),
                           [&](const auto& x, const auto& y) { return rank.at(x) < rank.at(y); }))
            << ring[0] << " " << ring[1] << " " << ring[2] << " " << ring[3];
    }
    EXPECT_EQ(leaders, (std::set<std::string>{"a", "b", "new"}));
}

TEST(LatencyEwmaTest, AConversationDrawsTheSamePair) {
    const auto strategy = makeStrategy("latency_ewma");
    const Accounts accounts = latencies({{"a", 100}, {"b", 100}, {"c", 100}, {"d", 100}});

    std::set<std::string> leaders;
    for (std::uint64_t seed = 0; seed < 30; ++seed) {
        const Ids ring = accounts.order(*strategy, 4, seed);
        EXPECT_EQ(accounts.order(*strategy, 4, seed), ring);
        leaders.insert(ring.front());
    }
    EXPECT_EQ(leaders.size(), 4U);
}

TEST(LatencyEwmaTest, DemotedAccountsAreDrawnOnlyWhenNoneIsHealthy) {
    const auto strategy = makeStrategy("latency_ewma");
    Accounts accounts = latencies({{"fast", 50}, {"slow", 700}});
    accounts["fast"].cooldown_until = now() + std::chrono::seconds(30);

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"slow", "fast"}));
    accounts["slow"].tried = true;
    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"fast"}));
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
