#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "app_server_pool.hpp"
#include "appserver_config.hpp"
#include "event_log.hpp"
#include "family_context.hpp"
#include "project_hub.hpp"
#include "project_service.hpp"
#include "project_store.hpp"
#include "server_requests.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_appserver {

/// Seed 002's managed coding projects over `codex app-server`: /api/v1 (projects, turns, live
/// events, approvals, files), the admin raw surface and the legacy /api routes, with one
/// supervised app-server per owner key whose model calls come back through the gateway's own
/// pooled Codex route. handle() is called concurrently; event streams hold their request thread.
class AppServerFamily final : public sdk::RouteFamily {
public:
    AppServerFamily(AppServerConfig config, sdk::HostServices& host,
                    sdk::ProjectRepository& repository, CredentialMinter minter,
                    GatewayUrlSource gateway_url);
    ~AppServerFamily() override;

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    const AppServerConfig config_;
    sdk::Logger& logger_;
    std::atomic<bool> stopping_{false};
    EventLog events_;
    ServerRequests requests_;
    ProjectStore store_;
    ProjectHub hub_;
    AppServerPool servers_;
    ProjectService service_;
    FamilyContext context_;
    std::vector<RouteEntry> entries_;
    std::map<std::string, Handler, std::less<>> handlers_;  ///< by operation
};

}  // namespace sluice::plugins::route_appserver
