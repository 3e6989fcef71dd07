#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>

#include "core/config/pipeline.hpp"
#include "core/security/secret_box.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/shared_state.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::lifecycle {

enum class RefreshResult {
    Refreshed,  ///< new credentials stored; the account is active
    Terminal,   ///< the login is dead (reused or revoked refresh token): reauth_required
    Transient,  ///< the token endpoint failed; retried later with backoff
    Skipped,    ///< nothing to refresh with, or the account is gone or paused
    ByPeer,     ///< another replica refreshed it moments ago; its credentials are loaded
};

const char* refreshResultName(RefreshResult result) noexcept;

/// The error code of an auth server's answer: `error` as a string (RFC 6749), `error.code` or a
/// top-level `code`; empty when there is none.
std::string oauthErrorCode(std::string_view body);

/// Keeps upstream access tokens fresh: refreshes an account's token before it expires (or after
/// an upstream 401), persists the rotated refresh token atomically and encrypted, and moves the
/// account through refreshing -> active | refresh_failed | reauth_required. One refresh per
/// account at a time: concurrent callers for the same account wait for the same result.
/// With shared state (several replicas, ADR 0012) one replica refreshes an account for all:
/// the others wait for its lock and load what it stored, since a second refresh would present
/// a refresh token the first one already rotated. Thread-safe; refresh() blocks, so it runs on
/// the upkeep workers only (a request that got a 401 asks AccountUpkeep::renewSoon).
class TokenRefresher final {
public:
    TokenRefresher(sdk::StorageBackend& storage, const security::SecretBox& secrets,
                   sdk::HttpClient& http, const config::UpstreamSettings& upstream,
                   const config::AccountSettings& settings, const sdk::Clock& clock,
                   sdk::Logger& logger, sdk::Metrics& metrics, std::function<void()> on_change,
                   sdk::SharedState* shared = nullptr);

    RefreshResult refresh(const std::string& account_id, std::string_view why);
    /// Whether `account` should be refreshed now: its token expires within the margin (or has
    /// no known expiry and was last refreshed 8 days ago), and no backoff is pending.
    bool isDue(const sdk::AccountRecord& account, sdk::TimePoint now);

private:
    /// perform() under the replicas' lock of the account when there is shared state.
    RefreshResult performForAllReplicas(const std::string& account_id);
    /// Whether `account`, read under the replicas' lock, was just refreshed by another replica:
    /// active, refreshed within seconds, and its access token not due.
    bool refreshedByPeer(const sdk::AccountRecord& account, sdk::TimePoint now) const;
    /// `after_peers`: the replicas' lock is held, so a refresh stored moments ago was a peer's.
    RefreshResult perform(const std::string& account_id, bool after_peers);
    RefreshResult fail(const sdk::AccountRecord& account, bool terminal, const std::string& reason);

    sdk::StorageBackend& storage_;
    const security::SecretBox& secrets_;
    sdk::HttpClient& http_;
    std::string token_url_;
    std::string user_agent_;
    config::AccountSettings settings_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
    /// One series per result, created up front so /metrics shows them before the first refresh.
    std::array<sdk::Counter*, 5> refreshes_{};
    std::function<void()> on_change_;
    sdk::SharedState* shared_;

    std::mutex mutex_;
    std::map<std::string, std::shared_future<RefreshResult>> in_flight_;
    struct Backoff {
        sdk::TimePoint next_try;
        std::chrono::milliseconds delay;
    };
    std::map<std::string, Backoff> backoff_;
};

}  // namespace sluice::core::lifecycle
