#include "mcp_family.hpp"

#include <algorithm>

#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/sdk/json_limits.hpp"

namespace sluice::plugins::route_mcp {

using json = nlohmann::json;

namespace {

constexpr const char* kAllowedMethods = "POST, OPTIONS";

const sdk::Headers kJson{{"Content-Type", "application/json"}};

bool isJsonMediaType(std::string_view content_type) {
    const auto end = content_type.find(';');
    std::string_view media = content_type.substr(0, end);
    while (!media.empty() && media.back() == ' ') {
        media.remove_suffix(1);
    }
    return sdk::equalsIgnoreCase(media, "application/json");
}

}  // namespace

McpFamily::McpFamily(McpConfig config) : config_(std::move(config)) {}

std::vector<sdk::RouteSpec> McpFamily::routes() const {
    return {
        {"POST", "", "mcp.rpc", sdk::CredentialKind::McpToken, sdk::RouteClass::Local},
        {"OPTIONS", "", "mcp.options", sdk::CredentialKind::None, sdk::RouteClass::Local},
    };
}

void McpFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        if (exchange.method() == "OPTIONS") {
            exchange.response().send(204, {{"Allow", kAllowedMethods}}, "");
            return;
        }
        handlePost(exchange);
    } catch (const std::exception&) {
        sendError(exchange,
                  {500, "server_error", "internal_error", "the MCP request failed", "", 0, ""});
    }
}

void McpFamily::handlePost(sdk::Exchange& exchange) {
    if (const auto origin = exchange.header("origin");
        origin && std::find(config_.allowed_origins.begin(), config_.allowed_origins.end(),
                            *origin) == config_.allowed_origins.end()) {
        refuse(exchange, 403,
               {rpc_code::kServerError, "origin '" + std::string(*origin) + "' is not allowed"});
        return;
    }
    if (const auto version = exchange.header("mcp-protocol-version");
        version && !isSupportedVersion(*version)) {
        refuse(exchange, 400,
               {rpc_code::kInvalidRequest,
                "unsupported MCP-Protocol-Version '" + std::string(*version) + "'"});
        return;
    }
    const auto content_type = exchange.header("content-type");
    if (!content_type || !isJsonMediaType(*content_type)) {
        refuse(exchange, 415, {rpc_code::kInvalidRequest, "Content-Type must be application/json"});
        return;
    }
    const auto body = exchange.readBody();
    if (!body) {
        return;  // the host has answered (size limit, bad encoding)
    }
    const json document = common::parseJson(*body);
    if (document.is_discarded()) {
        refuse(exchange, 400,
               {rpc_code::kParseError, "the body is not JSON nested at most " +
                                           std::to_string(sdk::kMaxJsonDepth) + " levels"});
        return;
    }
    const ParsedMessage message = parseMessage(document);
    if (message.error) {
        exchange.response().send(400, kJson, errorMessage(message.id, *message.error).dump());
        return;
    }
    if (!message.request) {
        exchange.response().send(202, {}, "");
        return;
    }
    const MethodAnswer answer = answerMethod(*message.request, exchange.gateway(), catalogue_);
    const json reply = std::holds_alternative<json>(answer)
                           ? resultMessage(message.request->id, std::get<json>(answer))
                           : errorMessage(message.request->id, std::get<RpcError>(answer));
    exchange.response().send(200, kJson,
                             reply.dump(-1, ' ', false, json::error_handler_t::replace));
}

void McpFamily::refuse(sdk::Exchange& exchange, int http_status, const RpcError& error) {
    exchange.response().send(http_status, kJson, errorMessage(nullptr, error).dump());
}

void McpFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    try {
        sdk::Headers headers = kJson;
        if (error.retry_after_seconds > 0) {
            headers.push_back({"Retry-After", std::to_string(error.retry_after_seconds)});
        }
        if (error.http_status == 401) {
            headers.push_back({"WWW-Authenticate", "Bearer realm=\"sluice-mcp\""});
        }
        const json data{
            {"http_status", error.http_status}, {"type", error.type}, {"code", error.code}};
        exchange.response().send(
            error.http_status, headers,
            errorMessage(nullptr, {rpc_code::kServerError, error.message}, data).dump());
    } catch (const std::exception&) {
        exchange.response().sendError(error);
    }
}

}  // namespace sluice::plugins::route_mcp
