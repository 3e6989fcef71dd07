#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <variant>

#include "app_server_pool.hpp"
#include "appserver_config.hpp"
#include "project_hub.hpp"
#include "project_store.hpp"
#include "reply.hpp"
#include "server_requests.hpp"
#include "sluice/sdk/host_services.hpp"
#include "turn_options.hpp"
#include "workspace_files.hpp"

namespace sluice::plugins::route_appserver {

/// The managed-project operations behind /api/v1: each takes the caller's owner key and sees
/// only that owner's projects (another owner's id is 404). Blocks on the app-server for the
/// calls it makes. Thread-safe.
class ProjectService final {
public:
    ProjectService(const AppServerConfig& config, ProjectStore& projects, AppServerPool& servers,
                   ProjectHub& hub, ServerRequests& requests, sdk::HostServices& host);

    Reply create(const std::string& owner, const nlohmann::json& body);
    Reply list(const std::string& owner) const;
    Reply get(const std::string& owner, const std::string& id);
    Reply state(const std::string& owner, const std::string& id, bool include_turns);
    Reply thread(const std::string& owner, const std::string& id);
    /// Resumes the latest thread of the workspace (or starts one); optional first turn.
    Reply open(const std::string& owner, const std::string& id, const nlohmann::json& body);
    Reply startTurn(const std::string& owner, const std::string& id, const nlohmann::json& body);
    Reply interrupt(const std::string& owner, const std::string& id, const std::string& turn_id);
    Reply approvals(const std::string& owner, const std::string& id) const;
    /// Answers a pending request of the project's thread; an empty body accepts.
    Reply resolve(const std::string& owner, const std::string& id, const std::string& request_id,
                  const nlohmann::json& body);
    /// Sends the answer to a server request taken from the pending table (an empty body is
    /// {"decision":"accept"}); puts it back when the app-server that asked is gone.
    Reply deliverAnswer(PendingRequest request, const nlohmann::json& body);
    /// The project's workspace, for the files/* routes.
    std::variant<WorkspaceFiles, sdk::ErrorInfo> files(const std::string& owner,
                                                       const std::string& id) const;
    /// The project (for event filtering), or 404.
    std::variant<sdk::ProjectRecord, sdk::ErrorInfo> owned(const std::string& owner,
                                                           const std::string& id) const;
    /// The owner's project whose workspace is `cwd` (compared as normalised paths).
    std::optional<sdk::ProjectRecord> ownedAt(const std::string& owner,
                                              const std::string& cwd) const;
    /// A call on the owner's app-server, its failure mapped to a typed error.
    Reply call(const std::string& owner, std::string_view method, nlohmann::json params);

    nlohmann::json projectJson(const sdk::ProjectRecord& project) const;

private:
    /// A turn request checked and its thread made ready.
    struct Prepared {
        sdk::ProjectRecord project;
        TurnOptions options;
        nlohmann::json input;  ///< null when the request starts no turn
        nlohmann::json raw;    ///< the app-server answers ensureThread took
    };

    std::variant<Prepared, sdk::ErrorInfo> prepare(const std::string& owner, const std::string& id,
                                                   const nlohmann::json& body, bool input_required);
    /// The thread a turn runs on: the project's when loaded, else resumed or started.
    /// `raw` receives the app-server answers it took.
    std::variant<sdk::ProjectRecord, sdk::ErrorInfo> ensureThread(const std::string& owner,
                                                                  sdk::ProjectRecord project,
                                                                  const TurnOptions& options,
                                                                  nlohmann::json& raw);
    Reply runTurn(const std::string& owner, const sdk::ProjectRecord& project,
                  const TurnOptions& options, nlohmann::json input);
    std::string newProjectId();

    const AppServerConfig& config_;
    ProjectStore& projects_;
    AppServerPool& servers_;
    ProjectHub& hub_;
    ServerRequests& requests_;
    sdk::HostServices& host_;
    sdk::Logger& logger_;
};

/// The typed error of a failed app-server call.
sdk::ErrorInfo callError(const CallOutcome& outcome);

}  // namespace sluice::plugins::route_appserver
