#pragma once

#include <map>
#include <mutex>
#include <string>

#include "core/config/pipeline.hpp"
#include "core/dispatch/upstream_envelope.hpp"
#include "core/lifecycle/token_refresher.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::lifecycle {

/// Reads each account's quota from the upstream's usage endpoint on a jittered interval, off
/// every request's path: the windows feed eligibility and strategies, and are kept in storage
/// for operators. A 401 refreshes the account's token. Thread-safe.
class UsageProber final {
public:
    UsageProber(sdk::HttpClient& http, const dispatch::UpstreamEnvelope& envelope,
                const config::UpstreamSettings& upstream, const config::AccountSettings& settings,
                TokenRefresher& refresher, sdk::StorageBackend& storage, const sdk::Clock& clock,
                sdk::Random& random, sdk::Logger& logger);

    /// Whether `account_id` is due for a probe; spreads first probes over one interval.
    bool isDue(const std::string& account_id, sdk::TimePoint now);
    /// Asks the upstream for the account's quota now and applies and stores what it says. Blocks
    /// for the call (at most accounts.usage_probe_timeout). FailedPrecondition without a usable
    /// token, Unavailable when the upstream cannot be reached or does not answer 200 (a 401
    /// starts a token refresh first).
    sdk::Status probe(const routing::RoutedAccount& account);

private:
    sdk::HttpClient& http_;
    const dispatch::UpstreamEnvelope& envelope_;
    std::string usage_url_;
    config::AccountSettings settings_;
    TokenRefresher& refresher_;
    sdk::StorageBackend& storage_;
    const sdk::Clock& clock_;
    sdk::Random& random_;
    sdk::Logger& logger_;
    std::mutex mutex_;
    std::map<std::string, sdk::TimePoint> next_probe_;
};

}  // namespace sluice::core::lifecycle
