#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "app_server.hpp"
#include "event_log.hpp"
#include "project_store.hpp"
#include "server_requests.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::plugins::route_appserver {

/// Where everything the app-servers say unasked goes: every message into the event log, server
/// requests into the pending table, turn starts and ends into the running-turn table and the
/// turn metrics, token-usage reports into the owning project's accounting. When a process ends
/// its running turns are reported failed and its loaded threads forgotten. Thread-safe.
class ProjectHub final : public AppServerListener {
public:
    ProjectHub(ProjectStore& projects, EventLog& events, ServerRequests& requests,
               sdk::HostServices& host);

    void onMessage(const std::string& owner, const nlohmann::json& message) override;
    void onExit(const std::string& owner, bool restarting) override;
    bool idle(const std::string& owner) override;

    /// Whether `thread_id` is loaded in the owner's running process (resumed or started).
    bool isLoaded(const std::string& owner, const std::string& thread_id) const;
    void markLoaded(const std::string& owner, const std::string& thread_id);
    /// The turn running on a thread, if any.
    std::optional<std::string> runningTurn(const std::string& owner,
                                           const std::string& thread_id) const;
    /// A server request was answered through the family: the pending gauge follows.
    void requestAnswered();
    /// Turns a previous gateway left running (it stopped or crashed during them) are reported
    /// failed, as the app-server that ran them is gone. Called once at startup.
    void failOrphanedTurns();
    /// The gateway is stopping: processes that end now leave their running turns recorded, for
    /// the next start to report.
    void shutdown();

private:
    using ThreadKey = std::pair<std::string, std::string>;  ///< (owner, thread id)

    void onServerRequest(const std::string& owner, const nlohmann::json& message);
    void onTurnStarted(const std::string& owner, const std::string& thread_id,
                       const nlohmann::json& params);
    void onTurnEnded(const std::string& owner, const std::string& thread_id,
                     const std::string& turn_id, const std::string& outcome);
    void recordTurnEnd(const std::string& owner, const std::string& thread_id,
                       const std::string& outcome);
    /// Reports a turn that will never complete, the way the app-server reports a failed one.
    void publishFailedTurn(const std::string& owner, const std::string& thread_id,
                           const std::string& turn_id, const std::string& why);
    void onTokenUsage(const std::string& owner, const std::string& thread_id,
                      const nlohmann::json& params);
    void countOutcome(const std::string& outcome);
    void publishPendingGauge();

    ProjectStore& projects_;
    EventLog& events_;
    ServerRequests& requests_;
    sdk::HostServices& host_;
    sdk::Logger& logger_;
    sdk::Counter& restarts_;
    sdk::Gauge& pending_approvals_;
    sdk::Counter& accounted_input_;
    sdk::Counter& accounted_output_;

    std::atomic<bool> shutting_down_{false};
    mutable std::mutex mutex_;
    std::map<ThreadKey, std::string> running_;  ///< turn id by thread
    std::set<ThreadKey> loaded_;
};

}  // namespace sluice::plugins::route_appserver
