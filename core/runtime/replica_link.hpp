#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "core/runtime/directory.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::core::runtime {

/// This replica's side of the shared state (ADR 0012): announces its own directory changes to
/// the other replicas, reloads the directory when one of them announces one, and keeps the
/// link's health for /readyz and `sluice_shared_state_connected`. While the link is down the
/// gateway serves on local state and the directory's periodic re-read; when it comes back the
/// directory is reloaded at once, since announcements made meanwhile were lost.
class ReplicaLink final : public sdk::SharedStateListener {
public:
    /// The link counts as down until the plugin reports it up.
    ReplicaLink(std::shared_ptr<sdk::SharedState> state, Directory& directory,
                sdk::Metrics& metrics, sdk::Logger& logger);
    ~ReplicaLink() override;
    ReplicaLink(const ReplicaLink&) = delete;
    ReplicaLink& operator=(const ReplicaLink&) = delete;

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

private:
    std::shared_ptr<sdk::SharedState> state_;
    Directory& directory_;
    sdk::Gauge& connected_;  ///< sluice_shared_state_connected
    sdk::Logger& logger_;
    mutable std::mutex mutex_;
    std::optional<std::string> down_reason_;  // guarded by mutex_
    bool was_up_ = false;                     // guarded by mutex_
};

}  // namespace sluice::core::runtime
