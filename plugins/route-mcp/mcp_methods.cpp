#include "mcp_methods.hpp"

#include <algorithm>

#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::route_mcp {

using json = nlohmann::json;

namespace {

// The catalogue operation itself is what tools/list answers; it is not offered as a tool.
constexpr std::string_view kCatalogueOperation = "operations.list";

constexpr const char* kInstructions =
    "Read-only operator view of a Sluice gateway: pools, accounts and their quotas, Pool API keys, "
    "request logs, audit events and routing explanations. Metadata only: no secrets, no request "
    "bodies.";

RpcError internalError(const sdk::Status& status) {
    return {rpc_code::kInternalError,
            std::string("the gateway could not answer: ") + status.message()};
}

json toolOf(const json& operation) {
    return {{"name", operation.at("name")},
            {"description", operation.at("description")},
            {"inputSchema", operation.at("input_schema")},
            {"outputSchema", operation.at("output_schema")},
            {"annotations", {{"readOnlyHint", true}, {"openWorldHint", false}}}};
}

// Tools are read-only: MCP tokens never see mutating operations, and this holds even if a
// future credential kind did.
bool isTool(const json& operation) {
    return operation.at("name") != kCatalogueOperation &&
           operation.value("mutating", true) == false;
}

json toolFailure(const sdk::Status& status) {
    return {{"content", json::array({{{"type", "text"},
                                      {"text", std::string(sdk::statusCodeName(status.code())) +
                                                   ": " + status.message()}}})},
            {"isError", true}};
}

json initialize(const json& params) {
    // Answer the client's revision when it is one of ours, else our newest (the client then
    // decides whether it can continue).
    std::string version(kProtocolVersions.front());
    if (const auto requested = params.find("protocolVersion");
        requested != params.end() && requested->is_string() &&
        isSupportedVersion(requested->get<std::string>())) {
        version = requested->get<std::string>();
    }
    return {{"protocolVersion", version},
            {"capabilities", {{"tools", {{"listChanged", false}}}}},
            {"serverInfo",
             {{"name", "sluice"},
              {"title", "Sluice gateway operator tools"},
              {"version", SLUICE_VERSION}}},
            {"instructions", kInstructions}};
}

MethodAnswer listTools(sdk::Gateway& gateway, common::OperationCatalogue& catalogue) {
    auto operations = catalogue.entries(gateway);
    if (!operations.ok()) {
        return internalError(operations.status());
    }
    json tools = json::array();
    for (const json& operation : *operations.value()) {
        if (isTool(operation)) {
            tools.push_back(toolOf(operation));
        }
    }
    return json{{"tools", std::move(tools)}};
}

MethodAnswer callTool(const json& params, sdk::Gateway& gateway,
                      common::OperationCatalogue& catalogue) {
    const auto name = params.find("name");
    if (name == params.end() || !name->is_string()) {
        return RpcError{rpc_code::kInvalidParams, "tools/call needs the tool's name"};
    }
    json arguments = json::object();
    if (const auto given = params.find("arguments"); given != params.end() && !given->is_null()) {
        if (!given->is_object()) {
            return RpcError{rpc_code::kInvalidParams, "arguments must be an object"};
        }
        arguments = *given;
    }
    auto operation = catalogue.find(gateway, name->get<std::string>());
    if (!operation.ok() && operation.status().code() != sdk::StatusCode::NotFound) {
        return internalError(operation.status());
    }
    if (!operation.ok() || !isTool(*operation.value())) {
        return RpcError{rpc_code::kInvalidParams,
                        "unknown tool '" + name->get<std::string>() + "'"};
    }
    // Failures of the operation itself (bad arguments, not found) are tool results with
    // isError set, so that a model can read them and correct its call.
    auto result = gateway.operate(name->get<std::string>(), arguments.dump());
    if (!result.ok()) {
        return toolFailure(result.status());
    }
    json structured = common::parseJson(result.value());
    if (structured.is_discarded()) {
        return RpcError{rpc_code::kInternalError, "the operation returned malformed JSON"};
    }
    return json{{"content", json::array({{{"type", "text"}, {"text", result.value()}}})},
                {"structuredContent", std::move(structured)},
                {"isError", false}};
}

}  // namespace

bool isSupportedVersion(std::string_view version) noexcept {
    return std::find(kProtocolVersions.begin(), kProtocolVersions.end(), version) !=
           kProtocolVersions.end();
}

MethodAnswer answerMethod(const RpcRequest& request, sdk::Gateway& gateway,
                          common::OperationCatalogue& catalogue) {
    if (request.method == "initialize") {
        return initialize(request.params);
    }
    if (request.method == "ping") {
        return json::object();
    }
    if (request.method == "tools/list") {
        return listTools(gateway, catalogue);
    }
    if (request.method == "tools/call") {
        return callTool(request.params, gateway, catalogue);
    }
    return RpcError{rpc_code::kMethodNotFound, "method '" + request.method + "' is not supported"};
}

}  // namespace sluice::plugins::route_mcp
