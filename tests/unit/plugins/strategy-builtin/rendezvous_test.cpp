#include <gtest/gtest.h>

#include <set>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

constexpr int kSeeds = 10'000;

std::vector<std::string> names(int count) {
    std::vector<std::string> out;
    for (int i = 0; i < count; ++i) {
        out.push_back("acct-" + std::to_string(i));
    }
    return out;
}

std::vector<std::string> leadersBySeed(const Accounts& accounts, sdk::RoutingStrategy& strategy) {
    std::vector<std::string> out;
    for (std::uint64_t seed = 0; seed < kSeeds; ++seed) {
        out.push_back(accounts.lead(strategy, seed * 0x9e3779b97f4a7c15ULL));
    }
    return out;
}

TEST(RendezvousTest, ASeedStaysOnOneAccountWhateverTheSnapshotOrder) {
    const auto strategy = makeStrategy("rendezvous");
    const auto ids = names(8);
    const Accounts forward(ids);
    const Accounts backward(std::vector<std::string>(ids.rbegin(), ids.rend()));

    for (std::uint64_t seed = 1; seed < 200; ++seed) {
        const std::string lead = forward.lead(*strategy, seed);
        EXPECT_EQ(forward.lead(*strategy, seed), lead);
        EXPECT_EQ(backward.lead(*strategy, seed), lead);
        EXPECT_EQ(forward.lead(*makeStrategy("rendezvous"), seed), lead) << "a fresh instance";
    }
}

TEST(RendezvousTest, AddingAnAccountMovesAboutOneSeedInNPlusOne) {
    const auto strategy = makeStrategy("rendezvous");
    Accounts accounts(names(10));
    const auto before = leadersBySeed(accounts, *strategy);
    accounts.add("acct-new");
    const auto after = leadersBySeed(accounts, *strategy);

    int moved = 0;
    for (int i = 0; i < kSeeds; ++i) {
        if (before[i] != after[i]) {
            ++moved;
            EXPECT_EQ(after[i], "acct-new") << "seed " << i << " moved between old accounts";
        }
    }
    // Expected 1/11 = 9.1%; three standard deviations either side.
    EXPECT_GT(moved, kSeeds * 75 / 1000);
    EXPECT_LT(moved, kSeeds * 107 / 1000);
}

TEST(RendezvousTest, RemovingAnAccountMovesOnlyItsSeeds) {
    const auto strategy = makeStrategy("rendezvous");
    Accounts accounts(names(6));
    const auto before = leadersBySeed(accounts, *strategy);
    accounts.remove("acct-3");
    const auto after = leadersBySeed(accounts, *strategy);

    for (int i = 0; i < kSeeds; ++i) {
        if (before[i] != "acct-3") {
            EXPECT_EQ(after[i], before[i]) << "seed " << i;
        }
    }
}

TEST(RendezvousTest, WithoutASeedRequestsSpread) {
    const auto strategy = makeStrategy("rendezvous");
    const Accounts accounts(names(4));

    const auto leads = accounts.leads(*strategy, 400);
    ASSERT_EQ(leads.size(), 4U);
    for (const auto& [id, count] : leads) {
        EXPECT_GT(count, 60) << id;
    }
}

TEST(RendezvousTest, PerModelKeepsUnseededRequestsOfAModelTogether) {
    const auto strategy = makeStrategy("rendezvous", {{"unseeded", "per_model"}});
    const Accounts accounts(names(5));

    const auto leads = accounts.leads(*strategy, 50);
    EXPECT_EQ(leads.size(), 1U) << "one model, one account";
    // A seed still wins over the model: conversations spread.
    std::set<std::string> seeded;
    for (std::uint64_t seed = 0; seed < 50; ++seed) {
        seeded.insert(accounts.lead(*strategy, seed));
    }
    EXPECT_GT(seeded.size(), 2U);
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
