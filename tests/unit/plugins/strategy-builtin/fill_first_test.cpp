#include <gtest/gtest.h>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;

TEST(FillFirstTest, StaysOnOneAccountUntilItIsIneligible) {
    const auto strategy = makeStrategy("fill_first");
    Accounts accounts({"carol", "alice", "bob"});

    EXPECT_EQ(accounts.leads(*strategy, 50), (std::map<std::string, int>{{"alice", 50}}));
    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"alice", "bob", "carol"}));

    accounts.remove("alice");  // e.g. its quota window is used up
    EXPECT_EQ(accounts.leads(*strategy, 20), (std::map<std::string, int>{{"bob", 20}}));

    accounts.add("alice");  // its window reset
    EXPECT_EQ(accounts.lead(*strategy), "alice");
}

TEST(FillFirstTest, PriorityTiersComeBeforeLabels) {
    const auto strategy = makeStrategy("fill_first");
    Accounts accounts({"a", "b", "c", "d"});
    accounts["a"].priority = 2;
    accounts["b"].priority = 1;
    accounts["c"].priority = 1;
    accounts["d"].priority = 0;

    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"d", "b", "c", "a"}));
    accounts.remove("d");
    EXPECT_EQ(accounts.leads(*strategy, 10), (std::map<std::string, int>{{"b", 10}}));
    accounts.remove("b");
    accounts.remove("c");
    EXPECT_EQ(accounts.lead(*strategy), "a");
}

TEST(FillFirstTest, ADemotedAccountHandsOverUntilItsCooldownEnds) {
    const auto strategy = makeStrategy("fill_first");
    Accounts accounts({"a", "b"});
    accounts["a"].cooldown_until = now() + std::chrono::seconds(60);

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"b", "a"}));
    accounts["a"].cooldown_until = now() - std::chrono::seconds(1);
    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"a", "b"}));
}

TEST(FillFirstTest, MaxInFlightSpillsToTheNextAccount) {
    Accounts accounts({"a", "b"});
    accounts["a"].in_flight = 2;

    EXPECT_EQ(accounts.lead(*makeStrategy("fill_first")), "a");
    EXPECT_EQ(accounts.lead(*makeStrategy("fill_first", {{"max_in_flight", "3"}})), "a");
    EXPECT_EQ(accounts.order(*makeStrategy("fill_first", {{"max_in_flight", "2"}}), 2),
              (Ids{"b", "a"}));
}

TEST(FillFirstTest, EqualLabelsAreOrderedById) {
    const auto strategy = makeStrategy("fill_first");
    Accounts accounts({"acct-2", "acct-1"});
    accounts["acct-2"].label = "same";
    accounts["acct-1"].label = "same";

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"acct-1", "acct-2"}));
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
