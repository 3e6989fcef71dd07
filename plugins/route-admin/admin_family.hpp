#pragma once

#include "admin_config.hpp"
#include "api_routes.hpp"
#include "host_allow_list.hpp"
#include "sluice/plugins/common/operation_catalogue.hpp"
#include "sluice/sdk/request_screen.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_admin {

/// The admin surface, mounted at /admin: the REST API under /api/v1 (admin tokens only; every
/// route is one gateway operation, see api_routes.hpp) and the admin page, whose static files
/// are public and which calls the API with the token the operator types in. Both answer only
/// requests whose Host is on the allow-list (DNS-rebinding protection), checked before the token.
class AdminFamily final : public sdk::RouteFamily, public sdk::ScreensRequests {
public:
    /// `settings` (the host's, when it lends them) must outlive the family.
    AdminFamily(const AdminConfig& config, const sdk::HostSettings* settings);

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;
    std::optional<sdk::ErrorInfo> screen(const sdk::Headers& headers) const noexcept override;

private:
    void servePage(sdk::Exchange& exchange, std::string_view asset_name);
    void serveApi(sdk::Exchange& exchange, const ApiRoute& route);

    HostAllowList allowed_hosts_;
    common::OperationCatalogue catalogue_;
};

}  // namespace sluice::plugins::route_admin
