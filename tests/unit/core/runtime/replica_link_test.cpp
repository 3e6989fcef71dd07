#include "core/runtime/replica_link.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/observability/metrics_registry.hpp"
#include "core/routing/routing_table.hpp"
#include "core/security/secret_box.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::runtime {
namespace {

using namespace std::chrono_literals;

/// A shared state whose link the test drives by calling the listener itself.
class ScriptedState final : public sdk::SharedState {
public:
    explicit ScriptedState(sdk::Status answer) : answer_(std::move(answer)) {}
    sdk::Status announce(std::string_view topic) noexcept override {
        announced.emplace_back(topic);
        return answer_;
    }
    sdk::Result<sdk::WindowSlot> takeWindowSlot(std::string_view, std::uint32_t,
                                                std::chrono::milliseconds) noexcept override {
        return sdk::Status{sdk::StatusCode::Unavailable, "not used here"};
    }
    sdk::Result<bool> tryLock(std::string_view, std::chrono::milliseconds) noexcept override {
        return sdk::Status{sdk::StatusCode::Unavailable, "not used here"};
    }
    void releaseLock(std::string_view) noexcept override {}
    void start(sdk::SharedStateListener& listener) override { this->listener = &listener; }
    void stop() noexcept override { ++stops; }

    std::vector<std::string> announced;
    sdk::SharedStateListener* listener = nullptr;
    int stops = 0;

private:
    sdk::Status answer_;
};

class ReplicaLinkTest : public ::testing::Test {
protected:
    void link(sdk::Status answer = {}) {
        state_ = std::make_shared<ScriptedState>(std::move(answer));
        link_ =
            std::make_unique<ReplicaLink>(state_, directory_, metrics_, host_.logger("replicas"));
        link_->start();
        ASSERT_TRUE(directory_.refreshNow());
        directory_.startRefreshing(1h);  // only a request can make it reload in this test
    }
    void TearDown() override { directory_.stopRefreshing(); }

    bool knowsKey(const std::string& prefix) {
        return directory_.snapshot()->api_keys.count(prefix) == 1;
    }
    void addKeyBehindTheDirectorysBack(const std::string& prefix) {
        sdk::ApiKeyRecord key;
        key.prefix = prefix;
        key.hash = "h";
        key.pool = "team";
        key.name = prefix;
        ASSERT_TRUE(storage_.apiKeys().create(key).ok());
    }
    /// Waits (up to 5 s) for the refresher to pick `prefix` up.
    bool eventuallyKnows(const std::string& prefix) {
        for (int i = 0; i < 500 && !knowsKey(prefix); ++i) {
            std::this_thread::sleep_for(10ms);
        }
        return knowsKey(prefix);
    }
    bool gaugeSays(const std::string& value) const {
        return metrics_.renderPrometheus().find("sluice_shared_state_connected " + value) !=
               std::string::npos;
    }

    sdk::testing::FakeHost host_;
    observability::MetricsRegistry metrics_;
    plugins::storage_memory::MemoryBackend storage_;
    Directory directory_{storage_, {}, host_.logger("directory")};
    std::shared_ptr<ScriptedState> state_;
    std::unique_ptr<ReplicaLink> link_;
};

TEST_F(ReplicaLinkTest, ADirectoryChangeAnnouncedByAnotherReplicaReloadsTheDirectory) {
    link();
    addKeyBehindTheDirectorysBack("sk-other");
    state_->listener->onChange("directory");
    EXPECT_TRUE(eventuallyKnows("sk-other"));
}

TEST_F(ReplicaLinkTest, AnnouncesThisReplicasDirectoryChanges) {
    link();
    link_->announceDirectoryChange();
    EXPECT_EQ(state_->announced, std::vector<std::string>{"directory"});
}

TEST_F(ReplicaLinkTest, AFailedAnnouncementIsLoggedNotThrown) {
    link({sdk::StatusCode::Unavailable, "shared state unreachable"});
    link_->announceDirectoryChange();
    bool logged = false;
    for (const auto& line : host_.lines()) {
        logged = logged || line.event == "shared_state_announce_failed";
    }
    EXPECT_TRUE(logged);
}

TEST_F(ReplicaLinkTest, IsDegradedUntilTheLinkComesUpAndWhileItIsDown) {
    link();
    EXPECT_TRUE(link_->degraded().has_value());
    EXPECT_TRUE(gaugeSays("0"));
    state_->listener->onLinkChange(true, "");
    EXPECT_FALSE(link_->degraded().has_value());
    EXPECT_TRUE(gaugeSays("1"));
    state_->listener->onLinkChange(false, "Connection refused");
    EXPECT_EQ(link_->degraded(), std::optional<std::string>("Connection refused"));
    EXPECT_TRUE(gaugeSays("0"));
}

TEST_F(ReplicaLinkTest, ComingBackReloadsTheDirectoryForTheChangesMissedMeanwhile) {
    link();
    state_->listener->onLinkChange(true, "");
    state_->listener->onLinkChange(false, "Connection reset by peer");
    addKeyBehindTheDirectorysBack("sk-missed");
    state_->listener->onLinkChange(true, "");
    EXPECT_TRUE(eventuallyKnows("sk-missed"));
}

TEST_F(ReplicaLinkTest, AStateWithoutAccountBindingsLeavesAffinityToEachReplica) {
    link();
    routing::AffinityTable conversations;
    routing::AffinityTable responses;
    link_->shareBindings(conversations, responses, host_.clock());
    conversations.remember("team", "session-1", "acct_a", host_.clock().now());
    EXPECT_EQ(conversations.lookup("team", "session-1", host_.clock().now()), "acct_a");
    bool logged = false;
    for (const auto& line : host_.lines()) {
        logged = logged || line.event == "shared_state_without_bindings";
    }
    EXPECT_TRUE(logged);
}

TEST_F(ReplicaLinkTest, AStateWithoutUsageLimitBlocksLeavesThemToEachReplica) {
    link();
    const security::SecretBox secrets{{{1, std::string(32, 'k')}}, 1};
    routing::RoutingTable routing(secrets, {}, host_.logger("routing"));
    DirectorySnapshot directory;
    directory.accounts.push_back(sdk::AccountRecord{});
    directory.accounts.back().id = "acct_a";
    routing.rebuild(directory);
    link_->shareBlocks(routing, host_.clock());
    EXPECT_EQ(link_->blocks(), nullptr);
    routing::QuotaObservation quota;
    quota.blocked_until = host_.clock().now() + 1h;
    routing.snapshot()->accounts.at("acct_a")->state->applyQuota(quota, host_.clock().now());
    EXPECT_EQ(routing.snapshot()->accounts.at("acct_a")->state->blockedUntil(),
              *quota.blocked_until);
    bool logged = false;
    for (const auto& line : host_.lines()) {
        logged = logged || line.event == "shared_state_without_blocks";
    }
    EXPECT_TRUE(logged);
}

TEST_F(ReplicaLinkTest, StopsTheSharedStateWhenDestroyed) {
    link();
    link_.reset();
    EXPECT_EQ(state_->stops, 1);
}

}  // namespace
}  // namespace sluice::core::runtime
