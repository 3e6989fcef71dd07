#include <gtest/gtest.h>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;
using std::chrono::minutes;

TEST(LeastRecentSuccessTest, OldestSuccessFirstAndNeverSucceededOldestOfAll) {
    const auto strategy = makeStrategy("least_recent_success");
    Accounts accounts({"recent", "never", "old", "middle"});
    accounts["recent"].last_success = now() - minutes(1);
    accounts["old"].last_success = now() - minutes(50);
    accounts["middle"].last_success = now() - minutes(10);

    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"never", "old", "middle", "recent"}));
}

TEST(LeastRecentSuccessTest, BusyAccountsComeAfterIdleOnesUnlessDisabled) {
    Accounts accounts({"a", "b", "c"});
    accounts["b"].last_success = now() - minutes(30);
    accounts["c"].last_success = now() - minutes(5);
    accounts["a"].in_flight = 1;  // never succeeded, but already busy with a first request

    EXPECT_EQ(accounts.order(*makeStrategy("least_recent_success"), 3), (Ids{"b", "c", "a"}));
    EXPECT_EQ(accounts.order(*makeStrategy("least_recent_success", {{"busy_last", "false"}}), 3),
              (Ids{"a", "b", "c"}));
}

TEST(LeastRecentSuccessTest, EqualTimesAreBrokenPerRequest) {
    const auto strategy = makeStrategy("least_recent_success");
    const Accounts accounts({"a", "b", "c"});  // none has succeeded yet

    for (const auto& [id, count] : accounts.leads(*strategy, 300)) {
        EXPECT_GT(count, 60) << id;
    }
    EXPECT_EQ(accounts.order(*strategy, 3, 42), accounts.order(*strategy, 3, 42));
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
