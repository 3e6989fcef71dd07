#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/routing/affinity_table.hpp"
#include "core/runtime/directory.hpp"
#include "core/runtime/shared_bindings.hpp"
#include "core/runtime/shared_blocks.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::core::runtime {

/// This replica's side of the shared state (ADR 0012): announces its own directory changes to
/// the other replicas, reloads the directory when one of them announces one, and keeps the
/// link's health for /readyz and `sluice_shared_state_connected`. While the link is down the
/// gateway serves on local state and the directory's periodic re-read; when it comes back the
/// directory is reloaded at once, since announcements made meanwhile were lost.
///
/// With an SDK 2.6 shared state it also shares the affinity tables (conversations and response
/// owners): their bindings are written through and looked up on a miss, a binding another
/// replica moved replaces the one held here, and each coming up of the link starts a new
/// generation under which held bindings are checked again on their next use. With an SDK 2.7
/// shared state it shares usage-limit blocks too (SharedBlocks).
class ReplicaLink final : public sdk::SharedStateListenerV3 {
public:
    /// The link counts as down until the plugin reports it up.
    ReplicaLink(std::shared_ptr<sdk::SharedState> state, Directory& directory,
                sdk::Metrics& metrics, sdk::Logger& logger);
    ~ReplicaLink() override;
    ReplicaLink(const ReplicaLink&) = delete;
    ReplicaLink& operator=(const ReplicaLink&) = delete;

    /// Shares both tables through the shared state when it has account bindings (SDK 2.6);
    /// otherwise they stay local. Main thread, before start() and before the tables are used;
    /// both tables and `clock` outlive this link.
    void shareBindings(routing::AffinityTable& conversations, routing::AffinityTable& responses,
                       const sdk::Clock& clock);
    /// Shares the usage-limit blocks of `routing`'s accounts when the shared state has them
    /// (SDK 2.7); otherwise they stay per replica. Main thread, before start() and after
    /// `routing` listens to the directory; `routing` and `clock` outlive this link.
    void shareBlocks(routing::RoutingTable& routing, const sdk::Clock& clock);
    /// Starts listening (main thread, once).
    void start();
    /// Stops listening; idempotent.
    void stop() noexcept;
    /// Tells the other replicas that this one changed storage's directory (any thread; bounded
    /// by the plugin's call budget; a failure is logged, the others' re-read covers it).
    void announceDirectoryChange() noexcept;
    /// The shared state itself, for the request path's bounded calls (admission windows).
    sdk::SharedState& shared() noexcept { return *state_; }
    /// Why the link is down, or nullopt while it is up. Any thread.
    std::optional<std::string> degraded() const;

    void onChange(std::string_view topic) noexcept override;
    void onLinkChange(bool up, std::string_view reason) noexcept override;
    void onBinding(const sdk::AccountBinding& binding) noexcept override;
    void onBlock(const sdk::AccountBlock& block) noexcept override;
    /// The shared blocks, or null when they stay per replica (tests).
    SharedBlocks* blocks() noexcept { return blocks_.get(); }

private:
    /// The tables shared through the state, set by shareBindings.
    struct Bindings {
        routing::AffinityTable& conversations;
        routing::AffinityTable& responses;
        const sdk::Clock& clock;
        SharedBindings conversation_mirror;
        SharedBindings response_mirror;
    };

    std::shared_ptr<sdk::SharedState> state_;
    Directory& directory_;
    sdk::Metrics& metrics_;
    std::atomic<std::uint64_t> generation_{0};  ///< comings up of the link
    std::unique_ptr<Bindings> bindings_;
    std::unique_ptr<SharedBlocks> blocks_;
    sdk::Gauge& connected_;  ///< sluice_shared_state_connected
    sdk::Logger& logger_;
    mutable std::mutex mutex_;
    std::optional<std::string> down_reason_;  // guarded by mutex_
    bool was_up_ = false;                     // guarded by mutex_
};

}  // namespace sluice::core::runtime
