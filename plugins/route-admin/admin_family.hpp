#pragma once

#include "api_routes.hpp"
#include "sluice/plugins/common/operation_catalogue.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_admin {

/// The admin surface, mounted at /admin: the REST API under /api/v1 (admin tokens only; every
/// route is one gateway operation, see api_routes.hpp) and the admin page, whose static files
/// are public and which calls the API with the token the operator types in.
class AdminFamily final : public sdk::RouteFamily {
public:
    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    void servePage(sdk::Exchange& exchange, std::string_view asset_name);
    void serveApi(sdk::Exchange& exchange, const ApiRoute& route);

    common::OperationCatalogue catalogue_;
};

}  // namespace sluice::plugins::route_admin
