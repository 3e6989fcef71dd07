// TokenRefresher with shared state (ADR 0012): one replica refreshes an account for all, under
// the replicas' lock; one that waited for the lock loads the peer's refresh instead of
// presenting a refresh token the peer already rotated.

#include "core/lifecycle/token_refresher.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/observability/metrics_registry.hpp"
#include "core/security/secret_box.hpp"
#include "plugins/storage-memory/memory_backend.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::lifecycle {
namespace {

using namespace std::chrono_literals;

constexpr const char* kAccount = "acct_1";

/// Answers lock requests from a script, running `on_try` first; records releases.
class ScriptedLocks final : public sdk::SharedState {
public:
    sdk::Result<bool> tryLock(std::string_view name, std::chrono::milliseconds) noexcept override {
        asked.emplace_back(name);
        if (on_try) {
            on_try(asked.size());
        }
        auto answer = answers.front();
        answers.pop_front();
        return answer;
    }
    void releaseLock(std::string_view name) noexcept override { released.emplace_back(name); }
    sdk::Status announce(std::string_view) noexcept override { return {}; }
    sdk::Result<sdk::WindowSlot> takeWindowSlot(std::string_view, std::uint32_t,
                                                std::chrono::milliseconds) noexcept override {
        return sdk::Status{sdk::StatusCode::Unavailable, "not used here"};
    }
    void start(sdk::SharedStateListener&) override {}
    void stop() noexcept override {}

    std::deque<sdk::Result<bool>> answers;
    std::function<void(std::size_t)> on_try;
    std::vector<std::string> asked;
    std::vector<std::string> released;
};

class TokenRefresherTest : public ::testing::Test {
protected:
    void SetUp() override {
        upstream_.auth_base_url = "https://auth.example";
        upstream_.originator = "codex_cli_rs";
        upstream_.client_version = "0.169.0";
        settings_.refresh_margin = 5min;
        settings_.refresh_retry = 1min;
        settings_.usage_probe_timeout = 1s;
        settings_.oauth_client_id = "client";
        sdk::AccountRecord account;
        account.id = kAccount;
        account.pool = "team";
        account.label = "a";
        account.refresh_token =
            secrets_.encrypt("rt-1", security::accountSecretAad(kAccount, "refresh_token"));
        account.last_refresh_at = host_.clock().now() - 1h;
        ASSERT_TRUE(storage_.accounts().create(account).ok());
    }

    TokenRefresher refresher(sdk::SharedState* shared) {
        return TokenRefresher(
            storage_, secrets_, host_.fakeHttp(), upstream_, settings_, host_.clock(),
            host_.logger("tokens"), metrics_, [] {}, shared);
    }
    void upstreamAnswersNewTokens() {
        host_.fakeHttp().enqueue(
            sdk::HttpReply{200, {}, R"({"access_token":"at-2","refresh_token":"rt-2"})"});
    }
    /// What another replica's refresh leaves in storage.
    void peerRefreshes() {
        sdk::AccountCredentials credentials;
        credentials.refresh_token =
            secrets_.encrypt("rt-peer", security::accountSecretAad(kAccount, "refresh_token"));
        credentials.last_refresh_at = host_.clock().now();
        ASSERT_TRUE(storage_.accounts()
                        .updateCredentials(kAccount, credentials, sdk::AccountStatus::Active,
                                           host_.clock().now())
                        .ok());
    }

    sdk::testing::FakeHost host_;
    observability::MetricsRegistry metrics_;
    plugins::storage_memory::MemoryBackend storage_;
    security::SecretBox secrets_{{{1, std::string(32, 'k')}}, 1};
    config::UpstreamSettings upstream_;
    config::AccountSettings settings_;
    ScriptedLocks locks_;
};

TEST_F(TokenRefresherTest, WithoutReplicasItRefreshesAlone) {
    upstreamAnswersNewTokens();
    EXPECT_EQ(refresher(nullptr).refresh(kAccount, "test"), RefreshResult::Refreshed);
    EXPECT_EQ(host_.fakeHttp().calls().size(), 1u);
}

TEST_F(TokenRefresherTest, UnderTheReplicasLockItRefreshesAndGivesTheLockBack) {
    locks_.answers.push_back(true);
    upstreamAnswersNewTokens();
    EXPECT_EQ(refresher(&locks_).refresh(kAccount, "test"), RefreshResult::Refreshed);
    EXPECT_EQ(host_.fakeHttp().calls().size(), 1u);
    EXPECT_EQ(locks_.asked, std::vector<std::string>{"refresh:acct_1"});
    EXPECT_EQ(locks_.released, std::vector<std::string>{"refresh:acct_1"});
}

TEST_F(TokenRefresherTest, AReplicaThatWaitedForAPeerLoadsItsRefreshInsteadOfRefreshingAgain) {
    locks_.answers = {false, true};
    locks_.on_try = [this](std::size_t attempt) {
        if (attempt == 2) {
            peerRefreshes();  // the holder finished before giving the lock back
        }
    };
    EXPECT_EQ(refresher(&locks_).refresh(kAccount, "test"), RefreshResult::ByPeer);
    EXPECT_TRUE(host_.fakeHttp().calls().empty());
    EXPECT_EQ(locks_.released, std::vector<std::string>{"refresh:acct_1"});
}

TEST_F(TokenRefresherTest, AnOldRefreshFoundUnderTheLockIsNotAPeers) {
    locks_.answers.push_back(true);
    upstreamAnswersNewTokens();
    EXPECT_EQ(refresher(&locks_).refresh(kAccount, "test"), RefreshResult::Refreshed);
    EXPECT_EQ(host_.fakeHttp().calls().size(), 1u);
}

TEST_F(TokenRefresherTest, WhenTheReplicasCannotAgreeItRefreshesAlone) {
    locks_.answers.push_back(sdk::Status{sdk::StatusCode::Unavailable, "unreachable"});
    upstreamAnswersNewTokens();
    EXPECT_EQ(refresher(&locks_).refresh(kAccount, "test"), RefreshResult::Refreshed);
    EXPECT_EQ(host_.fakeHttp().calls().size(), 1u);
    EXPECT_TRUE(locks_.released.empty());
}

}  // namespace
}  // namespace sluice::core::lifecycle
