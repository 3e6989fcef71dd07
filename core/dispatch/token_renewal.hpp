#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <string>

#include "core/lifecycle/token_refresher.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::core::dispatch {

/// Renews an account's access token off the request path once the upstream answered 401. The
/// refresh (an OAuth call, storage writes, a directory reload) runs on the upkeep workers, once
/// per account however many requests ask; failover walks skip the account meanwhile, and only a
/// request with no other account left waits on the refresh, up to its deadline. Thread-safe.
class TokenRenewal final {
public:
    /// Starts the refresh of an account behind the caller, or joins the one running. Must not
    /// block.
    using Start =
        std::function<std::shared_future<lifecycle::RefreshResult>(const std::string& account_id)>;
    /// The account as routing knows it now (renewed credentials included); null when gone.
    using Lookup = std::function<routing::RoutedAccountPtr(const std::string& account_id)>;

    TokenRenewal(Start start, Lookup current, const sdk::Clock& clock)
        : start_(std::move(start)), current_(std::move(current)), clock_(clock) {}

    /// The upstream refused `account_id`'s token: renew it behind the request.
    void begin(const std::string& account_id);
    /// Whether a renewal of `account_id` is under way. Lock-free while none is.
    bool renewing(const std::string& account_id);
    /// Waits until `deadline` for the renewal of `account_id` (started before); the account
    /// with its new credentials once renewed, else null (failed, timed out, or none started).
    routing::RoutedAccountPtr await(const std::string& account_id,
                                    std::chrono::steady_clock::time_point deadline);

private:
    Start start_;
    Lookup current_;
    const sdk::Clock& clock_;
    std::mutex mutex_;
    std::map<std::string, std::shared_future<lifecycle::RefreshResult>, std::less<>> running_;
    std::atomic<std::size_t> count_{0};  ///< running_.size(), read without the lock
};

}  // namespace sluice::core::dispatch
