#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/lifecycle/token_refresher.hpp"
#include "core/lifecycle/usage_prober.hpp"
#include "core/routing/routing_table.hpp"
#include "core/runtime/directory.hpp"

namespace sluice::core::lifecycle {

/// Runs account upkeep in the background: every `tick` it looks for accounts whose token is due
/// for a refresh or whose quota is due for a probe, and hands that work to a few worker threads
/// (one job per account at a time), as well as the renewals a request asks for after a 401.
/// Nothing here runs on a request thread.
class AccountUpkeep final {
public:
    AccountUpkeep(TokenRefresher& refresher, UsageProber& prober,
                  const runtime::Directory& directory, const routing::RoutingTable& routing,
                  const sdk::Clock& clock, std::chrono::milliseconds tick, std::size_t workers);
    ~AccountUpkeep();
    AccountUpkeep(const AccountUpkeep&) = delete;
    AccountUpkeep& operator=(const AccountUpkeep&) = delete;

    void start();
    void stop();

    /// Refreshes `account_id`'s token on a worker soon (the upstream refused it), once however
    /// many ask while it is queued or running; the future tells how it went. Never blocks: any
    /// thread, the request path included. Broken (std::future_error) if the upkeep stops first.
    std::shared_future<RefreshResult> renewSoon(const std::string& account_id);

private:
    void schedule();
    void submit(std::string key, std::function<void()> job);
    void work();

    TokenRefresher& refresher_;
    UsageProber& prober_;
    const runtime::Directory& directory_;
    const routing::RoutingTable& routing_;
    const sdk::Clock& clock_;
    std::chrono::milliseconds tick_;
    std::size_t worker_count_;

    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::deque<std::pair<std::string, std::function<void()>>> jobs_;
    std::set<std::string> pending_;                                      ///< keys queued or running
    std::map<std::string, std::shared_future<RefreshResult>> renewals_;  ///< queued or running
    std::thread scheduler_;
    std::vector<std::thread> workers_;
};

}  // namespace sluice::core::lifecycle
