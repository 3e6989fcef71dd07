#include "core/routing/affinity_table.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/core/routing/routing_test_clock.hpp"

namespace sluice::core::routing {
namespace {

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
    EXPECT_TRUE(
        table.lookup("team", "s", half + AffinityTable::kTimeToLive - std::chrono::seconds(1)));
    EXPECT_FALSE(table.lookup("team", "s", half + 3 * AffinityTable::kTimeToLive));
}

TEST(AffinityTableTest, AFullTableDropsTheLeastRecentlyUsedAndKeepsTheRecent) {
    // Every served response id is remembered, so a busy gateway fills the table within minutes.
    AffinityTable table;
    const std::size_t inserts = 2 * AffinityTable::kCapacity;
    sdk::TimePoint now = kNow;
    for (std::size_t i = 0; i < inserts; ++i) {
        now = kNow + std::chrono::milliseconds(i);
        table.remember("team", "resp_" + std::to_string(i), "acct_a", now);
    }
    EXPECT_FALSE(table.lookup("team", "resp_0", now));
    EXPECT_FALSE(table.lookup("team", "resp_" + std::to_string(AffinityTable::kCapacity / 2), now));
    for (std::size_t i = inserts - 1000; i < inserts; ++i) {
        EXPECT_EQ(table.lookup("team", "resp_" + std::to_string(i), now), "acct_a") << i;
    }
}

}  // namespace
}  // namespace sluice::core::routing
