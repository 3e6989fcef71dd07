#include "core/observability/alerts/alert_board.hpp"

#include <gtest/gtest.h>

namespace sluice::core::observability::alerts {
namespace {

using std::chrono::minutes;

const sdk::TimePoint kBoardNow{std::chrono::seconds(1'800'000'000)};

Signal boardSignal(const std::string& subject, const std::string& summary = "summary") {
    return {"pool_exhausted:" + subject, Rule::PoolExhausted, subject, summary, subject, ""};
}

TEST(AlertBoardTest, AnAlertFiresOnceWhileItsConditionLastsThenResolvesOnce) {
    AlertBoard board;
    auto changed = board.apply({boardSignal("team")}, kBoardNow);
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].phase, Phase::Firing);
    EXPECT_EQ(changed[0].since, kBoardNow);

    // Still matching: no new transition, but the listed summary follows the latest match.
    EXPECT_TRUE(board.apply({boardSignal("team", "newer")}, kBoardNow + minutes(1)).empty());
    ASSERT_EQ(board.list().size(), 1u);
    EXPECT_EQ(board.list()[0].signal.summary, "newer");
    EXPECT_EQ(board.list()[0].since, kBoardNow);
    EXPECT_EQ(board.firing(), 1u);

    changed = board.apply({}, kBoardNow + minutes(2));
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].phase, Phase::Resolved);
    EXPECT_EQ(changed[0].resolved_at, kBoardNow + minutes(2));
    EXPECT_TRUE(board.apply({}, kBoardNow + minutes(3)).empty());
    EXPECT_EQ(board.firing(), 0u);
}

TEST(AlertBoardTest, AResolvedAlertThatMatchesAgainFiresAnewWithANewSince) {
    AlertBoard board;
    board.apply({boardSignal("team")}, kBoardNow);
    board.apply({}, kBoardNow + minutes(1));
    const auto changed = board.apply({boardSignal("team")}, kBoardNow + minutes(2));
    ASSERT_EQ(changed.size(), 1u);
    EXPECT_EQ(changed[0].phase, Phase::Firing);
    EXPECT_EQ(changed[0].since, kBoardNow + minutes(2));
    EXPECT_FALSE(changed[0].resolved_at);
}

TEST(AlertBoardTest, ListsFiringOldestFirstThenResolvedLatestFirstAndForgetsAfterAnHour) {
    AlertBoard board;
    board.apply({boardSignal("a"), boardSignal("b")}, kBoardNow);
    board.apply({boardSignal("a"), boardSignal("b"), boardSignal("c")}, kBoardNow + minutes(1));
    board.apply({boardSignal("c")}, kBoardNow + minutes(2));  // a and b resolve
    board.apply({boardSignal("c"), boardSignal("d")}, kBoardNow + minutes(3));
    std::vector<std::string> order;
    for (const Alert& alert : board.list()) {
        order.push_back(alert.signal.subject + ":" + phaseName(alert.phase));
    }
    EXPECT_EQ(order,
              (std::vector<std::string>{"c:firing", "d:firing", "a:resolved", "b:resolved"}));
    board.apply({boardSignal("c"), boardSignal("d")},
                kBoardNow + minutes(2) + AlertBoard::kKeepResolved);
    EXPECT_EQ(board.list().size(), 2u);
}

TEST(AlertBoardTest, TheJsonViewNamesRuleSeverityAndTimes) {
    AlertBoard board;
    board.apply({boardSignal("team")}, kBoardNow);
    const auto resolved = board.apply({}, kBoardNow + minutes(5));
    const auto view = toJson(resolved.at(0));
    EXPECT_EQ(view["id"], "pool_exhausted:team");
    EXPECT_EQ(view["rule"], "pool_exhausted");
    EXPECT_EQ(view["severity"], "critical");
    EXPECT_EQ(view["phase"], "resolved");
    EXPECT_EQ(view["since"], "2027-01-15T08:00:00Z");
    EXPECT_EQ(view["resolved_at"], "2027-01-15T08:05:00Z");
    EXPECT_EQ(view["pool"], "team");
    EXPECT_TRUE(view["account"].is_null());
}

}  // namespace
}  // namespace sluice::core::observability::alerts
