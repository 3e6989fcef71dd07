#include <gtest/gtest.h>

#include <set>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;

TEST(LeastInFlightTest, FewestRequestsInFlightFirst) {
    const auto strategy = makeStrategy("least_in_flight");
    Accounts accounts({"a", "b", "c", "d"});
    accounts["a"].in_flight = 3;
    accounts["b"].in_flight = 0;
    accounts["c"].in_flight = 1;
    accounts["d"].in_flight = 7;

    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"b", "c", "a", "d"}));
    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"b", "c"}));
}

TEST(LeastInFlightTest, PerWeightComparesLoadPerUnitOfWeight) {
    Accounts accounts({"a", "b"});
    accounts["a"].in_flight = 2;
    accounts["a"].weight = 4;
    accounts["b"].in_flight = 1;

    EXPECT_EQ(accounts.order(*makeStrategy("least_in_flight"), 2), (Ids{"b", "a"}));
    EXPECT_EQ(accounts.order(*makeStrategy("least_in_flight", {{"per_weight", "true"}}), 2),
              (Ids{"a", "b"}));
}

TEST(LeastInFlightTest, IdleAccountsTakeTurns) {
    const auto strategy = makeStrategy("least_in_flight");
    const Accounts accounts({"a", "b", "c"});

    for (const auto& [id, count] : accounts.leads(*strategy, 300)) {
        EXPECT_GT(count, 60) << id;
        EXPECT_LT(count, 140) << id;
    }
}

TEST(LeastInFlightTest, AConversationBreaksTiesTheSameWayEveryTime) {
    const auto strategy = makeStrategy("least_in_flight");
    Accounts accounts({"a", "b", "c", "d"});
    accounts["d"].in_flight = 2;

    std::set<std::string> leaders;
    for (std::uint64_t seed = 0; seed < 40; ++seed) {
        const Ids first = accounts.order(*strategy, 4, seed);
        EXPECT_EQ(accounts.order(*strategy, 4, seed), first);
        EXPECT_EQ(first.back(), "d");
        leaders.insert(first.front());
    }
    EXPECT_EQ(leaders.size(), 3U) << "different conversations spread over the idle accounts";
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
