#include <gtest/gtest.h>

#include <tuple>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;
using std::chrono::hours;

// Each account's primary (5 h) and secondary (weekly) resets, in hours from now; 0: unknown.
Accounts resets(const std::vector<std::tuple<std::string, int, int>>& spec) {
    std::vector<std::string> ids;
    for (const auto& entry : spec) {
        ids.push_back(std::get<0>(entry));
    }
    Accounts accounts(ids);
    for (const auto& [id, primary, secondary] : spec) {
        if (primary != 0) {
            accounts[id].primary = window(30, hours(primary));
        }
        if (secondary != 0) {
            accounts[id].secondary = window(30, hours(secondary));
        }
    }
    return accounts;
}

TEST(ResetDrainTest, EarliestWeeklyResetFirstFallingBackToThePrimary) {
    const auto strategy = makeStrategy("reset_drain");
    const Accounts accounts =
        resets({{"late", 1, 100}, {"unknown", 0, 0}, {"early", 4, 20}, {"primary_only", 30, 0}});

    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"early", "primary_only", "late", "unknown"}));
}

TEST(ResetDrainTest, ThePrimaryWindowCanLead) {
    const auto strategy = makeStrategy("reset_drain", {{"window", "primary"}});
    const Accounts accounts =
        resets({{"late", 1, 100}, {"unknown", 0, 0}, {"early", 4, 20}, {"weekly_only", 0, 3}});

    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"late", "weekly_only", "early", "unknown"}));
}

TEST(ResetDrainTest, EarliestOfBothWindows) {
    const auto strategy = makeStrategy("reset_drain", {{"window", "earliest"}});
    const Accounts accounts = resets({{"a", 5, 2}, {"b", 1, 100}, {"c", 0, 3}});

    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"b", "a", "c"}));
}

TEST(ResetDrainTest, EqualResetsGoToMoreHeadroomFirst) {
    const auto strategy = makeStrategy("reset_drain");
    Accounts accounts = resets({{"a", 0, 10}, {"b", 0, 10}});
    accounts["a"].secondary.used_percent = 70;
    accounts["b"].secondary.used_percent = 20;

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"b", "a"}));
}

TEST(ResetDrainTest, APastResetDoesNotCountAsSoon) {
    const auto strategy = makeStrategy("reset_drain");
    Accounts accounts = resets({{"past", 0, 10}, {"future", 0, 50}});
    accounts["past"].secondary.resets_at = now() - hours(1);

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"future", "past"}));
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
