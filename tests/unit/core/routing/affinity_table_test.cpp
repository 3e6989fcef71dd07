#include "core/routing/affinity_table.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

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

/// The other replicas' bindings as a map, reachable or not, and what the table asked of them.
class MapMirror final : public AffinityMirror {
public:
    std::uint64_t generation() const noexcept override { return generation_now; }
    sdk::Result<std::optional<std::string>> find(std::string_view pool,
                                                 std::string_view key) override {
        ++finds;
        if (!reachable) {
            return sdk::Status{sdk::StatusCode::Unavailable, "down"};
        }
        const auto it = bindings.find(std::string(pool) + "/" + std::string(key));
        return it == bindings.end() ? std::nullopt : std::optional<std::string>(it->second);
    }
    bool share(std::string_view pool, std::string_view key, const std::string& account_id,
               bool moved) override {
        if (!reachable) {
            return false;
        }
        bindings[std::string(pool) + "/" + std::string(key)] = account_id;
        shares.push_back(account_id + (moved ? " moved" : " renewed"));
        return true;
    }

    std::uint64_t generation_now = 1;
    bool reachable = true;
    std::map<std::string, std::string> bindings;
    int finds = 0;
    std::vector<std::string> shares;
};

class SharedAffinityTableTest : public ::testing::Test {
protected:
    void SetUp() override { table_.shareThrough(mirror_); }

    MapMirror mirror_;
    AffinityTable table_;
};

TEST_F(SharedAffinityTableTest, AKeyUnknownHereIsLookedUpOnceAndKeptInMemory) {
    mirror_.bindings["team/s"] = "acct_b";
    EXPECT_EQ(table_.lookup("team", "s", kNow), "acct_b");
    EXPECT_EQ(table_.lookup("team", "s", kNow), "acct_b");
    EXPECT_EQ(mirror_.finds, 1);
    EXPECT_FALSE(table_.lookup("team", "other", kNow));
    EXPECT_EQ(mirror_.finds, 2);
}

TEST_F(SharedAffinityTableTest, BindingsAreWrittenThroughAndAnnouncedOnlyWhenTheyMove) {
    table_.remember("team", "s", "acct_a", kNow);
    table_.remember("team", "s", "acct_a", kNow);
    table_.remember("team", "s", "acct_b", kNow);
    EXPECT_EQ(mirror_.shares,
              (std::vector<std::string>{"acct_a moved", "acct_a renewed", "acct_b moved"}));
    EXPECT_EQ(mirror_.bindings["team/s"], "acct_b");
    EXPECT_EQ(table_.lookup("team", "s", kNow), "acct_b");
    EXPECT_EQ(mirror_.finds, 0);  // confirmed by the write: no read needed
}

TEST_F(SharedAffinityTableTest, WhileTheMirrorIsUnreachableThisReplicasEntriesDecide) {
    mirror_.reachable = false;
    table_.remember("team", "s", "acct_a", kNow);
    EXPECT_EQ(table_.lookup("team", "s", kNow), "acct_a");
    EXPECT_FALSE(table_.lookup("team", "unknown", kNow));
    EXPECT_TRUE(mirror_.bindings.empty());
}

TEST_F(SharedAffinityTableTest, AfterTheLinkComesBackHeldEntriesAreReconciledOnTheirNextUse) {
    table_.remember("team", "moved-meanwhile", "acct_a", kNow);
    mirror_.reachable = false;
    table_.remember("team", "bound-meanwhile", "acct_a", kNow);
    // While the link was down another replica moved one conversation, and the server kept
    // nothing of the other.
    mirror_.bindings["team/moved-meanwhile"] = "acct_c";
    mirror_.reachable = true;
    mirror_.generation_now = 2;
    EXPECT_EQ(table_.lookup("team", "moved-meanwhile", kNow), "acct_c");
    EXPECT_EQ(table_.lookup("team", "bound-meanwhile", kNow), "acct_a");
    EXPECT_EQ(mirror_.bindings["team/bound-meanwhile"], "acct_a");
    EXPECT_EQ(mirror_.finds, 2);
    EXPECT_EQ(table_.lookup("team", "bound-meanwhile", kNow), "acct_a");
    EXPECT_EQ(mirror_.finds, 2);  // both agreed under generation 2
}

TEST_F(SharedAffinityTableTest, AnotherReplicasMoveReplacesOnlyAKeyHeldHere) {
    table_.remember("team", "s", "acct_a", kNow);
    table_.adopt("team", "s", "acct_b", kNow);
    table_.adopt("team", "not-held", "acct_b", kNow);
    EXPECT_EQ(table_.lookup("team", "s", kNow), "acct_b");
    EXPECT_EQ(mirror_.finds, 0);
    EXPECT_FALSE(table_.lookup("team", "not-held", kNow));  // looked up there: unknown
}

}  // namespace
}  // namespace sluice::core::routing
