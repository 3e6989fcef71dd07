#include "owner_map.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_backend {
namespace {

TEST(OwnerMap, RemembersPerPoolAndForgetsTheOldestBeyondCapacity) {
    OwnerMap owners(2);
    owners.remember("team", "task_1", "acct-a");
    owners.remember("other", "task_1", "acct-x");
    EXPECT_EQ(owners.owner("team", "task_1"), "acct-a");
    EXPECT_EQ(owners.owner("other", "task_1"), "acct-x");
    owners.remember("team", "task_2", "acct-b");
    EXPECT_FALSE(owners.owner("team", "task_1").has_value()) << "the oldest entry went first";
    EXPECT_EQ(owners.owner("team", "task_2"), "acct-b");
    owners.remember("team", "task_2", "acct-c");
    EXPECT_EQ(owners.owner("team", "task_2"), "acct-c");
    owners.remember("team", "", "acct-a");
    EXPECT_FALSE(owners.owner("team", "").has_value());
}

TEST(OwnerMap, RemembersMissingIdsForAWhileAndBoundsThem) {
    OwnerMap owners(2);
    const sdk::TimePoint now{std::chrono::seconds(1'000'000)};
    owners.rememberMissing("team", "task_1", now + std::chrono::seconds(30));
    EXPECT_TRUE(owners.knownMissing("team", "task_1", now));
    EXPECT_FALSE(owners.knownMissing("other", "task_1", now)) << "per pool";
    EXPECT_FALSE(owners.knownMissing("team", "task_1", now + std::chrono::seconds(30)))
        << "expired";

    owners.rememberMissing("team", "task_2", now + std::chrono::seconds(30));
    owners.rememberMissing("team", "task_3", now + std::chrono::seconds(30));
    EXPECT_FALSE(owners.knownMissing("team", "task_1", now)) << "the oldest miss went first";
    EXPECT_TRUE(owners.knownMissing("team", "task_3", now));

    owners.remember("team", "task_3", "acct-a");
    EXPECT_FALSE(owners.knownMissing("team", "task_3", now)) << "an owner found later wins";
    EXPECT_EQ(owners.owner("team", "task_3"), "acct-a");
}

}  // namespace
}  // namespace sluice::plugins::route_backend
