#include <gtest/gtest.h>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const sdk::testing::ConfigValues kHeadroomOnly{{"prefer_earlier_reset", "false"}};

TEST(QuotaHeadroomTest, MostHeadroomFirst) {
    const auto strategy = makeStrategy("quota_headroom", kHeadroomOnly);
    Accounts accounts({"busy", "quiet", "half"});
    accounts["busy"].primary = window(80, hours(2));
    accounts["quiet"].primary = window(5, hours(2));
    accounts["half"].primary = window(50, hours(2));

    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"quiet", "half", "busy"}));
}

TEST(QuotaHeadroomTest, HeadroomIsTheTightestKnownWindow) {
    const auto strategy = makeStrategy("quota_headroom", kHeadroomOnly);
    Accounts accounts({"weekly_tight", "balanced"});
    accounts["weekly_tight"].primary = window(10, hours(2));
    accounts["weekly_tight"].secondary = window(90, hours(100));  // 10% left
    accounts["balanced"].primary = window(50, hours(2));
    accounts["balanced"].secondary = window(50, hours(100));  // 50% left

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"balanced", "weekly_tight"}));
}

TEST(QuotaHeadroomTest, AWindowPastItsResetCountsAsUnused) {
    const auto strategy = makeStrategy("quota_headroom", kHeadroomOnly);
    Accounts accounts({"reset", "fresh"});
    accounts["reset"].primary = window(95, -seconds(5));
    accounts["fresh"].primary = window(10, hours(1));

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"reset", "fresh"}));
}

TEST(QuotaHeadroomTest, UnknownQuotaCountsAsUnknownHeadroom) {
    Accounts accounts({"unknown", "known"});
    accounts["known"].primary = window(30, hours(1));

    EXPECT_EQ(accounts.order(*makeStrategy("quota_headroom", kHeadroomOnly), 2),
              (Ids{"unknown", "known"}));
    EXPECT_EQ(accounts.order(*makeStrategy("quota_headroom", {{"prefer_earlier_reset", "false"},
                                                              {"unknown_headroom", "50"}}),
                             2),
              (Ids{"known", "unknown"}));
}

TEST(QuotaHeadroomTest, PrefersCapacityThatResetsSoonerAmongNearlyEqual) {
    Accounts accounts({"weekly", "soon", "low_soon"});
    accounts["weekly"].secondary = window(10, hours(24 * 5));  // 90% left for five days
    accounts["soon"].primary = window(20, minutes(10));        // 80% left, gone in 10 minutes
    accounts["low_soon"].primary = window(60, minutes(1));     // 40%: outside the 20-point margin

    EXPECT_EQ(accounts.order(*makeStrategy("quota_headroom"), 3),
              (Ids{"soon", "weekly", "low_soon"}));
    EXPECT_EQ(accounts.order(*makeStrategy("quota_headroom", kHeadroomOnly), 3),
              (Ids{"weekly", "soon", "low_soon"}));
    EXPECT_EQ(accounts.order(*makeStrategy("quota_headroom", {{"reset_margin", "60"}}), 3),
              (Ids{"low_soon", "soon", "weekly"}));
    EXPECT_EQ(accounts.order(*makeStrategy("quota_headroom", {{"reset_margin", "5"}}), 3),
              (Ids{"weekly", "soon", "low_soon"}));
}

TEST(QuotaHeadroomTest, DemotedAccountsComeLastWhateverTheirHeadroom) {
    const auto strategy = makeStrategy("quota_headroom");
    Accounts accounts({"roomy", "tight"});
    accounts["roomy"].cooldown_until = now() + seconds(20);
    accounts["tight"].primary = window(90, hours(3));

    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"tight", "roomy"}));
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
