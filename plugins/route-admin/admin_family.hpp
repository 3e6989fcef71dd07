#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <mutex>
#include <string>

#include "api_routes.hpp"
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
    /// The input schema of `operation`, from the catalogue (loaded once; it is fixed for the
    /// life of the process); Internal when the catalogue does not list it.
    sdk::Result<nlohmann::json> inputSchema(sdk::Gateway& gateway, std::string_view operation);

    std::mutex schemas_mutex_;
    std::map<std::string, nlohmann::json, std::less<>> input_schemas_;
};

}  // namespace sluice::plugins::route_admin
