#include "tests/integration/operations_route.hpp"

#include <nlohmann/json.hpp>

#include "sluice/sdk/plugin.hpp"

namespace sluice::integration {

namespace {

int httpStatusOf(sdk::StatusCode code) {
    switch (code) {
        case sdk::StatusCode::Ok:
            return 200;
        case sdk::StatusCode::NotFound:
            return 404;
        case sdk::StatusCode::AlreadyExists:
            return 409;
        case sdk::StatusCode::InvalidArgument:
            return 400;
        case sdk::StatusCode::FailedPrecondition:
            return 409;
        case sdk::StatusCode::PermissionDenied:
            return 403;
        case sdk::StatusCode::Unavailable:
            return 503;
        case sdk::StatusCode::Internal:
            return 500;
    }
    return 500;
}

class OperationsRoute final : public sdk::RouteFamily {
public:
    std::vector<sdk::RouteSpec> routes() const override {
        std::vector<sdk::RouteSpec> routes;
        for (const auto& [segment, credential] :
             {std::pair{"admin", sdk::CredentialKind::AdminToken},
              std::pair{"mcp", sdk::CredentialKind::McpToken},
              std::pair{"key", sdk::CredentialKind::PoolKey}}) {
            sdk::RouteSpec route;
            route.method = "POST";
            route.path = std::string("/") + segment + "/{operation}";
            route.operation = std::string("probe.") + segment;
            route.credential = credential;
            route.route_class = sdk::RouteClass::Local;
            routes.push_back(std::move(route));
        }
        return routes;
    }

    void handle(sdk::Exchange& exchange) noexcept override {
        const auto body = exchange.readBody();
        if (!body) {
            return;
        }
        const std::string operation(exchange.pathParam("operation").value_or(""));
        const auto result = exchange.gateway().operate(operation, *body);
        const sdk::Headers json_type{{"Content-Type", "application/json"}};
        if (result.ok()) {
            exchange.response().send(200, json_type, result.value());
            return;
        }
        exchange.response().send(httpStatusOf(result.status().code()), json_type,
                                 nlohmann::json{{"error", result.status().message()}}.dump());
    }

    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override {
        exchange.response().sendError(error);
    }
};

class OperationsRouteFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "operations_probe"; }
    std::string description() const override {
        return "test-only: runs catalogue operations over HTTP";
    }
    std::string defaultMount() const override { return "/ops"; }
    sdk::ConfigSchema schema() const override { return {}; }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode&, sdk::HostServices&) const override {
        return std::make_unique<OperationsRoute>();
    }
};

}  // namespace

void registerOperationsRoute(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<OperationsRouteFactory>());
}

}  // namespace sluice::integration
