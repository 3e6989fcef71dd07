#include <gtest/gtest.h>

#include "tests/unit/plugins/strategy-builtin/strategy_test_support.hpp"

namespace sluice::plugins::strategy_builtin::testing {
namespace {

using Ids = std::vector<std::string>;

TEST(RoundRobinTest, EachRequestStartsOneAccountFurther) {
    const auto strategy = makeStrategy("round_robin");
    const Accounts accounts({"a", "b", "c"});

    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"a", "b", "c"}));
    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"b", "c", "a"}));
    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"c", "a"}));
    EXPECT_EQ(accounts.order(*strategy, 1), (Ids{"a"}));
}

TEST(RoundRobinTest, SkipsTriedAccounts) {
    const auto strategy = makeStrategy("round_robin");
    Accounts accounts({"a", "b", "c"});
    accounts["a"].tried = true;

    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"b", "c"}));
    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"b", "c"}));
    EXPECT_EQ(accounts.order(*strategy, 3), (Ids{"c", "b"}));
}

TEST(RoundRobinTest, DemotedAccountsComeAfterTheRotation) {
    const auto strategy = makeStrategy("round_robin");
    Accounts accounts({"a", "b", "c", "d"});
    accounts["b"].cooldown_until = now() + std::chrono::seconds(30);

    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"a", "c", "d", "b"}));
    EXPECT_EQ(accounts.order(*strategy, 4), (Ids{"c", "d", "a", "b"}));
    // A ring of two is filled with healthy accounts, not with the demoted one.
    EXPECT_EQ(accounts.order(*strategy, 2), (Ids{"c", "d"}));
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin::testing
