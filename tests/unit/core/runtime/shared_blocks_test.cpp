#include "core/runtime/shared_blocks.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/observability/metrics_registry.hpp"
#include "core/routing/routing_table.hpp"
#include "core/runtime/replica_link.hpp"
#include "core/security/secret_box.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/support/fake_shared_state.hpp"

namespace sluice::core::runtime {
namespace {

using namespace std::chrono_literals;

DirectorySnapshot twoAccountsDirectory() {
    DirectorySnapshot directory;
    for (const char* id : {"acct_a", "acct_b"}) {
        sdk::AccountRecord account;
        account.id = id;
        account.label = id;
        account.pool = "team";
        directory.accounts.push_back(account);
    }
    return directory;
}

/// One gateway replica's side of the shared blocks: its routing table and its link.
struct BlockingReplica {
    BlockingReplica(tests::FakeSharedServer& server, sdk::testing::FakeHost& host)
        : link(std::shared_ptr<sdk::SharedState>(server.replica()), directory, metrics,
               host.logger("replicas")) {
        routing.rebuild(twoAccountsDirectory());
        link.shareBlocks(routing, host.clock());
        link.start();
        settle();
    }
    /// Waits for the writer to finish what it was given (it runs on its own thread).
    void settle() { link.blocks()->flush(); }
    routing::AccountState& state(const std::string& id) {
        return *routing.snapshot()->accounts.at(id)->state;
    }
    /// This replica observed a 429 usage_limit_reached resetting at `until`.
    void observeUsageLimit(const std::string& id, sdk::TimePoint until, sdk::TimePoint now) {
        routing::QuotaObservation quota;
        quota.blocked_until = until;
        state(id).applyQuota(quota, now);
        settle();
    }
    std::string metricsText() const { return metrics.renderPrometheus(); }

    observability::MetricsRegistry metrics;
    plugins::storage_memory::MemoryBackend storage;
    sdk::testing::FakeHost directory_host;
    Directory directory{storage, {}, directory_host.logger("directory")};
    security::SecretBox secrets{{{1, std::string(32, 'k')}}, 1};
    routing::RoutingTable routing{secrets, {}, directory_host.logger("routing")};
    ReplicaLink link;
};

class SharedBlocksTest : public ::testing::Test {
protected:
    sdk::TimePoint now() { return host_.clock().now(); }

    sdk::testing::FakeHost host_;
    tests::FakeSharedServer server_;
    BlockingReplica a_{server_, host_};
    BlockingReplica b_{server_, host_};
};

TEST_F(SharedBlocksTest, AUsageLimitSeenByOneReplicaKeepsTheOtherOffTheAccountUntilItsReset) {
    const sdk::TimePoint reset = now() + 3h;
    a_.observeUsageLimit("acct_a", reset, now());
    EXPECT_EQ(server_.block("acct_a"), reset);
    EXPECT_EQ(b_.state("acct_a").blockedUntil(), reset);
    EXPECT_EQ(b_.state("acct_b").blockedUntil(), sdk::TimePoint{});  // only that account
}

TEST_F(SharedBlocksTest, AReplicaThatStartsLaterLoadsTheBlocksInForceButNotTheLapsedOnes) {
    a_.observeUsageLimit("acct_a", now() + 3h, now());
    a_.observeUsageLimit("acct_b", now() + 1min, now());
    host_.fakeClock().advance(2min);
    BlockingReplica c(server_, host_);
    EXPECT_EQ(c.state("acct_a").blockedUntil(), *server_.block("acct_a"));
    EXPECT_EQ(c.state("acct_b").blockedUntil(), sdk::TimePoint{});
}

TEST_F(SharedBlocksTest, ALaterResetExtendsTheSharedBlockAndAnEarlierOneNeverShortensIt) {
    const sdk::TimePoint reset = now() + 3h;
    a_.observeUsageLimit("acct_a", reset, now());
    b_.observeUsageLimit("acct_a", reset - 1h, now());
    EXPECT_EQ(server_.block("acct_a"), reset);
    EXPECT_EQ(b_.state("acct_a").blockedUntil(), reset);
    b_.observeUsageLimit("acct_a", reset + 1h, now());
    EXPECT_EQ(a_.state("acct_a").blockedUntil(), reset + 1h);
}

TEST_F(SharedBlocksTest, WhileTheServerIsDownEachReplicaKeepsToItsOwnAndSharesThemWhenItReturns) {
    server_.setUp(false);
    const sdk::TimePoint reset = now() + 3h;
    a_.observeUsageLimit("acct_a", reset, now());
    EXPECT_EQ(a_.state("acct_a").blockedUntil(), reset);
    EXPECT_EQ(b_.state("acct_a").blockedUntil(), sdk::TimePoint{});
    EXPECT_NE(a_.metricsText().find("sluice_blocks_shared_fallbacks_total{kind=\"share\"} 1"),
              std::string::npos);
    server_.setUp(true);
    a_.settle();
    b_.settle();
    EXPECT_EQ(server_.block("acct_a"), reset);
    EXPECT_EQ(b_.state("acct_a").blockedUntil(), reset);
}

TEST_F(SharedBlocksTest, ABlockOfAnAccountNotRoutedHereYetHoldsOnceTheDirectoryHasIt) {
    DirectorySnapshot without_a = twoAccountsDirectory();
    without_a.accounts.erase(without_a.accounts.begin());
    b_.routing.rebuild(without_a);
    const sdk::TimePoint reset = now() + 3h;
    a_.observeUsageLimit("acct_a", reset, now());
    b_.routing.rebuild(twoAccountsDirectory());
    EXPECT_EQ(b_.state("acct_a").blockedUntil(), sdk::TimePoint{});  // a new account state
    b_.link.blocks()->directoryChanged();
    EXPECT_EQ(b_.state("acct_a").blockedUntil(), reset);
}

TEST_F(SharedBlocksTest, AServerThatRestartedEmptyIsGivenBackTheBlocksInForce) {
    const sdk::TimePoint reset = now() + 3h;
    a_.observeUsageLimit("acct_a", reset, now());
    server_.setUp(false);
    server_.setUp(true, true);
    a_.settle();
    EXPECT_EQ(server_.block("acct_a"), reset);
    BlockingReplica c(server_, host_);
    EXPECT_EQ(c.state("acct_a").blockedUntil(), reset);
}

}  // namespace
}  // namespace sluice::core::runtime
