#pragma once

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "core/routing/block_mirror.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::core::runtime {

/// Usage-limit blocks shared by replicas through an SDK 2.7 shared state (ADR 0012). A block this
/// replica observes is queued by the request thread that saw it (blocked()) and written behind on
/// this object's own thread; a block another replica shared is applied to the account's state in
/// memory (adopt()). Whenever the link comes up the writer loads every block in force and shares
/// again each of this replica's own still in force (written while the link was down, or lost by
/// a server that restarted). Routing only ever reads memory;
/// while the link is down each replica keeps to its own observations, and the writes and loads
/// that fail are counted in `sluice_blocks_shared_fallbacks_total{kind="share"|"load"}`.
/// Thread-safe; `state`, `routing` and `clock` outlive it.
class SharedBlocks final : public routing::BlockMirror {
public:
    SharedBlocks(sdk::SharedStateV3& state, routing::RoutingTable& routing, const sdk::Clock& clock,
                 sdk::Metrics& metrics, sdk::Logger& logger);
    ~SharedBlocks() override;
    SharedBlocks(const SharedBlocks&) = delete;
    SharedBlocks& operator=(const SharedBlocks&) = delete;

    /// Starts the writer (main thread, once).
    void start();
    /// Stops the writer, dropping what it has not written; idempotent.
    void stop() noexcept;
    /// Queues the block for the other replicas; never waits on the shared state.
    void blocked(const std::string& account_id, sdk::TimePoint until) noexcept override;
    /// Applies another replica's block (the listener's thread; memory only). A block of an
    /// account the routing table does not hold yet is kept until it does.
    void adopt(const sdk::AccountBlock& block) noexcept;
    /// The routing table was rebuilt: applies the kept blocks of accounts it now holds (the
    /// directory's thread; memory only).
    void directoryChanged() noexcept;
    /// The link came up: the writer reloads the replicas' blocks and re-shares its own.
    void linkUp() noexcept;
    /// Waits until everything queued so far was written or failed (tests).
    void flush();

private:
    using Blocks = std::map<std::string, sdk::TimePoint>;  ///< account id → until

    void run();
    /// Blocks the account in the current routing snapshot; false when it holds no such account.
    bool apply(const std::string& account_id, sdk::TimePoint until) noexcept;
    /// Loads every block in force and applies it.
    void reload();
    /// Shares each block still in force.
    void share(const Blocks& blocks);

    sdk::SharedStateV3& state_;
    routing::RoutingTable& routing_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
    sdk::Counter& share_fallbacks_;
    sdk::Counter& load_fallbacks_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable idle_;
    Blocks pending_;  ///< observed here, not written yet; guarded by mutex_
    Blocks own_;      ///< observed here, shared again on each link up; writer only
    std::mutex unmatched_mutex_;
    Blocks unmatched_;     ///< heard for accounts not routed here yet; guarded by unmatched_mutex_
    bool reload_ = false;  ///< guarded by mutex_
    bool busy_ = false;    ///< the writer is working on what it took; guarded by mutex_
    bool stopping_ = false;  ///< guarded by mutex_
    std::thread writer_;
};

}  // namespace sluice::core::runtime
