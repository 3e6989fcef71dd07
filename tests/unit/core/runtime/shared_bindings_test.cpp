#include "core/runtime/shared_bindings.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/observability/metrics_registry.hpp"
#include "core/routing/affinity_table.hpp"
#include "core/runtime/replica_link.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/support/fake_shared_state.hpp"

namespace sluice::core::runtime {
namespace {

using sdk::BindingKind;

/// One gateway replica's side of the shared bindings: its tables and its link.
struct Replica {
    Replica(tests::FakeSharedServer& server, sdk::testing::FakeHost& host)
        : link(std::shared_ptr<sdk::SharedState>(server.replica()), directory, metrics,
               host.logger("replicas")) {
        link.shareBindings(conversations, responses, host.clock());
        link.start();
    }
    bool fallbacksCounted(const std::string& kind) const {
        return metrics.renderPrometheus().find("sluice_affinity_shared_fallbacks_total{kind=\"" +
                                               kind + "\"} 0") == std::string::npos;
    }

    observability::MetricsRegistry metrics;
    plugins::storage_memory::MemoryBackend storage;
    sdk::testing::FakeHost directory_host;
    Directory directory{storage, {}, directory_host.logger("directory")};
    routing::AffinityTable conversations;
    routing::AffinityTable responses;
    ReplicaLink link;
};

class SharedBindingsTest : public ::testing::Test {
protected:
    sdk::TimePoint now() { return host_.clock().now(); }

    sdk::testing::FakeHost host_;
    tests::FakeSharedServer server_;
    Replica a_{server_, host_};
    Replica b_{server_, host_};
};

TEST_F(SharedBindingsTest, AConversationBoundOnOneReplicaIsFoundByAnother) {
    a_.conversations.remember("team", "session-1", "acct_a", now());
    EXPECT_EQ(server_.binding(BindingKind::Conversation, "team", "session-1"), "acct_a");
    EXPECT_EQ(b_.conversations.lookup("team", "session-1", now()), "acct_a");
    EXPECT_FALSE(b_.responses.lookup("team", "session-1", now()));  // kinds are apart
}

TEST_F(SharedBindingsTest, AResponsesOwnerIsKnownToEveryReplicaOnceClaimed) {
    a_.responses.remember("team", "resp_1", "acct_a", now());
    EXPECT_EQ(b_.responses.lookup("team", "resp_1", now()), "acct_a");
    EXPECT_EQ(server_.binding(BindingKind::Response, "team", "resp_1"), "acct_a");
}

TEST_F(SharedBindingsTest, AConversationMovedOnOneReplicaMovesOnTheOthersHoldingIt) {
    a_.conversations.remember("team", "session-1", "acct_a", now());
    ASSERT_EQ(b_.conversations.lookup("team", "session-1", now()), "acct_a");
    b_.conversations.remember("team", "session-1", "acct_b", now());
    EXPECT_EQ(a_.conversations.lookup("team", "session-1", now()), "acct_b");
}

TEST_F(SharedBindingsTest, WithTheServerDownEachReplicaKeepsItsOwnAndCountsTheFallbacks) {
    server_.setUp(false);
    a_.conversations.remember("team", "session-1", "acct_a", now());
    EXPECT_EQ(a_.conversations.lookup("team", "session-1", now()), "acct_a");
    EXPECT_FALSE(b_.conversations.lookup("team", "session-1", now()));
    EXPECT_TRUE(a_.fallbacksCounted("conversation"));
    EXPECT_TRUE(b_.fallbacksCounted("conversation"));
    EXPECT_FALSE(a_.fallbacksCounted("response"));
}

TEST_F(SharedBindingsTest, ARestartedServerLearnsTheBindingsBackOnTheirNextUse) {
    a_.conversations.remember("team", "session-1", "acct_a", now());
    server_.setUp(false, true);
    server_.setUp(true);
    EXPECT_FALSE(server_.binding(BindingKind::Conversation, "team", "session-1"));
    EXPECT_EQ(a_.conversations.lookup("team", "session-1", now()), "acct_a");
    EXPECT_EQ(server_.binding(BindingKind::Conversation, "team", "session-1"), "acct_a");
    EXPECT_EQ(b_.conversations.lookup("team", "session-1", now()), "acct_a");
}

}  // namespace
}  // namespace sluice::core::runtime
