#include "admin_family.hpp"

#include "operation_params.hpp"
#include "page_assets.hpp"
#include "request_log_stream.hpp"

namespace sluice::plugins::route_admin {

using json = nlohmann::json;

namespace {

constexpr std::string_view kApiPrefix = "admin.";
constexpr const char* kPageOperation = "admin_page.index";
constexpr const char* kAssetOperation = "admin_page.asset";
constexpr const char* kStreamOperation = "admin_stream.request_logs";

const sdk::Headers kPageHeaders{
    {"Content-Security-Policy",
     "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
     "frame-ancestors 'none'"},
    {"X-Content-Type-Options", "nosniff"},
    {"Referrer-Policy", "no-referrer"},
    {"Cache-Control", "no-cache"},
};

sdk::ErrorInfo errorOf(const sdk::Status& status) {
    switch (status.code()) {
        case sdk::StatusCode::NotFound:
            return {404, "not_found_error", "not_found", status.message(), "", 0, ""};
        case sdk::StatusCode::AlreadyExists:
            return {409, "conflict_error", "already_exists", status.message(), "", 0, ""};
        case sdk::StatusCode::InvalidArgument:
            return {400, "invalid_request_error", "invalid_argument", status.message(), "", 0, ""};
        case sdk::StatusCode::FailedPrecondition:
            return {409, "conflict_error", "failed_precondition", status.message(), "", 0, ""};
        case sdk::StatusCode::PermissionDenied:
            return {403, "permission_error", "permission_denied", status.message(), "", 0, ""};
        case sdk::StatusCode::Unavailable:
            return {503, "server_error", "unavailable", status.message(), "", 5, ""};
        case sdk::StatusCode::Ok:
        case sdk::StatusCode::Internal:
            break;
    }
    return {500, "server_error", "internal_error", status.message(), "", 0, ""};
}

}  // namespace

AdminFamily::AdminFamily(const AdminConfig& config, const sdk::HostSettings* settings)
    : allowed_hosts_(config.allowed_hosts, settings) {}

std::vector<sdk::RouteSpec> AdminFamily::routes() const {
    std::vector<sdk::RouteSpec> routes{
        {"GET", "", kPageOperation, sdk::CredentialKind::None, sdk::RouteClass::Local},
        {"GET", "/assets/{name}", kAssetOperation, sdk::CredentialKind::None,
         sdk::RouteClass::Local},
        // Before the API routes: /request-logs/{id} would match it otherwise.
        {"GET", "/api/v1/request-logs/stream", kStreamOperation, sdk::CredentialKind::AdminToken,
         sdk::RouteClass::Local},
    };
    for (const ApiRoute& route : kApiRoutes) {
        routes.push_back({std::string(route.method), std::string(route.path),
                          std::string(kApiPrefix) + std::string(route.operation),
                          sdk::CredentialKind::AdminToken, sdk::RouteClass::Local});
    }
    return routes;
}

void AdminFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        const std::string_view operation = exchange.operation();
        if (operation == kPageOperation) {
            servePage(exchange, "index.html");
        } else if (operation == kAssetOperation) {
            servePage(exchange, exchange.pathParam("name").value_or(""));
        } else if (operation == kStreamOperation) {
            if (const sdk::Status status = serveRequestLogStream(exchange); !status.ok()) {
                sendError(exchange, errorOf(status));
            }
        } else if (const ApiRoute* route = findApiRoute(operation.substr(kApiPrefix.size()))) {
            serveApi(exchange, *route);
        } else {
            sendError(exchange,
                      {404, "not_found_error", "not_found", "no such admin route", "", 0, ""});
        }
    } catch (const std::exception&) {
        sendError(exchange,
                  {500, "server_error", "internal_error", "the admin request failed", "", 0, ""});
    }
}

void AdminFamily::servePage(sdk::Exchange& exchange, std::string_view asset_name) {
    const PageAsset* asset = findPageAsset(asset_name);
    if (asset == nullptr) {
        sendError(exchange, {404, "not_found_error", "not_found", "no such page asset", "", 0, ""});
        return;
    }
    sdk::Headers headers = kPageHeaders;
    headers.push_back({"Content-Type", std::string(contentTypeOf(asset->name))});
    exchange.response().send(200, headers, asset->body);
}

void AdminFamily::serveApi(sdk::Exchange& exchange, const ApiRoute& route) {
    const auto body = exchange.readBody();
    if (!body) {
        return;  // the host has answered (size limit, bad encoding)
    }
    auto operation = catalogue_.find(exchange.gateway(), route.operation);
    if (!operation.ok()) {
        // Every route names an operation admins may run: a miss is the gateway's fault.
        sendError(exchange, errorOf({sdk::StatusCode::Internal, operation.status().message()}));
        return;
    }
    auto params =
        operationParams(exchange, route.path, *body, operation.value()->at("input_schema"));
    if (!params.ok()) {
        sendError(exchange, errorOf(params.status()));
        return;
    }
    auto result = exchange.gateway().operate(route.operation, params->dump());
    if (!result.ok()) {
        sendError(exchange, errorOf(result.status()));
        return;
    }
    exchange.response().send(route.success_status,
                             {{"Content-Type", "application/json"}, {"Cache-Control", "no-store"}},
                             result.value());
}

std::optional<sdk::ErrorInfo> AdminFamily::screen(const sdk::Headers& headers) const noexcept {
    try {
        const std::optional<std::string_view> host = sdk::findHeader(headers, "Host");
        if (host && allowed_hosts_.allows(*host)) {
            return std::nullopt;
        }
    } catch (const std::exception&) {
        // Out of memory while comparing: refuse rather than serve an unchecked Host.
    }
    return sdk::ErrorInfo{
        421,
        "invalid_request_error",
        "misdirected_request",
        "the admin surface does not answer this Host; add it to the admin route's "
        "allowed_hosts",
        "",
        0,
        ""};
}

void AdminFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    exchange.response().sendError(error);
}

}  // namespace sluice::plugins::route_admin
