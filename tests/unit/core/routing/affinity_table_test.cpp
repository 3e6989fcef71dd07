#include "core/routing/affinity_table.hpp"

#include <gtest/gtest.h>

namespace sluice::core::routing {
namespace {

const sdk::TimePoint kNow{std::chrono::seconds(1'800'000'000)};

TEST(AffinityTableTest, RemembersPerPoolAndSession) {
    AffinityTable table;
    table.remember("team", "session-1", "acct_a", kNow);
    EXPECT_EQ(table.lookup("team", "session-1", kNow), "acct_a");
    EXPECT_FALSE(table.lookup("other", "session-1", kNow));
    EXPECT_FALSE(table.lookup("team", "session-2", kNow));
}

TEST(AffinityTableTest, ForgetsAfterTheTimeToLiveAndSlidesOnUse) {
    AffinityTable table;
    table.remember("team", "s", "acct_a", kNow);
    const auto half = kNow + AffinityTable::kTimeToLive / 2;
    EXPECT_TRUE(table.lookup("team", "s", half));
    EXPECT_TRUE(table.lookup("team", "s", half + AffinityTable::kTimeToLive - std::chrono::seconds(1)));
    EXPECT_FALSE(table.lookup("team", "s", half + 3 * AffinityTable::kTimeToLive));
}

}  // namespace
}  // namespace sluice::core::routing
