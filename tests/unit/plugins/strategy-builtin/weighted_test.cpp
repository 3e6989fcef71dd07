#include <gtest/gtest.h>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;

Accounts weighted(const std::vector<std::pair<std::string, std::uint32_t>>& weights) {
    std::vector<std::string> ids;
    for (const auto& [id, weight] : weights) {
        ids.push_back(id);
    }
    Accounts accounts(ids);
    for (const auto& [id, weight] : weights) {
        accounts[id].weight = weight;
    }
    return accounts;
}

TEST(WeightedTest, InterleavesHeavyAccountsSmoothly) {
    const auto strategy = makeStrategy("weighted");
    const Accounts accounts = weighted({{"a", 5}, {"b", 1}, {"c", 1}});

    Ids leaders;
    for (int i = 0; i < 14; ++i) {
        leaders.push_back(accounts.lead(*strategy));
    }
    EXPECT_EQ(leaders, (Ids{"a", "a", "b", "a", "c", "a", "a", "a", "a", "b", "a", "c", "a", "a"}));
}

TEST(WeightedTest, TenThousandPicksFollowTheWeights) {
    const auto strategy = makeStrategy("weighted");
    const Accounts accounts = weighted({{"a", 1}, {"b", 2}, {"c", 3}, {"d", 4}});

    const auto leads = accounts.leads(*strategy, 10'000);
    for (const auto& [id, expected] : std::vector<std::pair<std::string, int>>{
             {"a", 1000}, {"b", 2000}, {"c", 3000}, {"d", 4000}}) {
        EXPECT_NEAR(leads.at(id), expected, expected / 100) << id;
    }
}

TEST(WeightedTest, AnAccountBackFromIneligibilityCarriesLittleCredit) {
    const auto strategy = makeStrategy("weighted");
    Accounts accounts = weighted({{"a", 5}, {"b", 1}});
    accounts.leads(*strategy, 10);
    accounts.add("c").weight = 1;
    accounts.leads(*strategy, 7);
    accounts.remove("c");
    accounts.leads(*strategy, 1000);  // c would have earned 1000 turns of credit by now
    accounts.add("c").weight = 1;

    const auto back = accounts.leads(*strategy, 14);
    EXPECT_LE(back.at("c"), 6) << "a returning account may catch up a little, not monopolise";
    const auto settled = accounts.leads(*strategy, 700);
    EXPECT_NEAR(settled.at("a"), 500, 10);
    EXPECT_NEAR(settled.at("c"), 100, 10);
}

TEST(WeightedTest, TheRingAfterTheLeaderIsHeaviestFirst) {
    const auto strategy = makeStrategy("weighted");
    const Accounts accounts = weighted({{"a", 1}, {"b", 5}, {"c", 3}, {"d", 2}});

    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"b", "c", "d", "a"}));
    const Ids second = accounts.order(*strategy, 4);
    ASSERT_EQ(second.size(), 4U);
    EXPECT_EQ(second[0], "c");  // b paid the total weight (11) for leading: 10 - 11 < 6
    EXPECT_EQ(second[1], "b");
}

TEST(WeightedTest, DemotedAccountsLeadOnlyWhenNoneIsHealthy) {
    const auto strategy = makeStrategy("weighted");
    Accounts accounts = weighted({{"a", 10}, {"b", 1}});
    accounts["a"].cooldown_until = now() + std::chrono::seconds(30);

    EXPECT_EQ(accounts.leads(*strategy, 20), (std::map<std::string, int>{{"b", 20}}));
    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"b", "a"}));
    accounts["b"].tried = true;
    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"a"}));
}

TEST(WeightedTest, AccountsBeyondTheTableStillGetTraffic) {
    const auto strategy = makeStrategy("weighted", {{"max_accounts", "1"}});
    std::vector<std::string> ids;
    for (int i = 0; i < 100; ++i) {
        ids.push_back("acct-" + std::to_string(i));
    }
    const Accounts accounts(ids);

    const auto leads = accounts.leads(*strategy, 1000);
    EXPECT_GT(leads.size(), 10U);
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
