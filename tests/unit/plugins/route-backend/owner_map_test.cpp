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

}  // namespace
}  // namespace sluice::plugins::route_backend
