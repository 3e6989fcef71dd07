#include "json_rpc.hpp"

namespace sluice::plugins::route_mcp {

using json = nlohmann::json;

namespace {

bool isValidId(const json& id) {
    return id.is_string() || id.is_number_integer() || id.is_number_unsigned();
}

}  // namespace

ParsedMessage parseMessage(const json& document) {
    ParsedMessage parsed;
    if (document.is_array()) {
        parsed.error =
            RpcError{rpc_code::kInvalidRequest, "batched JSON-RPC messages are not supported"};
        return parsed;
    }
    if (!document.is_object()) {
        parsed.error = RpcError{rpc_code::kInvalidRequest, "a JSON-RPC message must be an object"};
        return parsed;
    }
    const auto id = document.find("id");
    if (id != document.end() && isValidId(*id)) {
        parsed.id = *id;
    }
    const auto version = document.find("jsonrpc");
    if (version == document.end() || *version != "2.0") {
        parsed.error = RpcError{rpc_code::kInvalidRequest, "jsonrpc must be \"2.0\""};
        return parsed;
    }
    const auto method = document.find("method");
    if (method == document.end()) {
        // A response to a server request: this server sends none, so it is only acknowledged.
        if (!document.contains("result") && !document.contains("error")) {
            parsed.error = RpcError{rpc_code::kInvalidRequest, "the message has no method"};
        }
        return parsed;
    }
    if (!method->is_string() || method->get<std::string>().empty()) {
        parsed.error = RpcError{rpc_code::kInvalidRequest, "method must be a non-empty string"};
        return parsed;
    }
    if (id != document.end() && !isValidId(*id)) {
        parsed.error = RpcError{rpc_code::kInvalidRequest, "id must be a string or an integer"};
        return parsed;
    }
    RpcRequest request;
    request.method = method->get<std::string>();
    if (id != document.end()) {
        request.id = *id;
    }
    if (const auto params = document.find("params"); params != document.end()) {
        if (!params->is_object()) {
            parsed.error = RpcError{rpc_code::kInvalidParams, "params must be an object"};
            return parsed;
        }
        request.params = *params;
    }
    if (!request.id.is_null()) {  // notifications are acknowledged, never answered
        parsed.request = std::move(request);
    }
    return parsed;
}

json resultMessage(const json& id, json result) {
    return {{"jsonrpc", "2.0"}, {"id", id}, {"result", std::move(result)}};
}

json errorMessage(const json& id, const RpcError& error, json data) {
    json body{{"code", error.code}, {"message", error.message}};
    if (!data.is_null()) {
        body["data"] = std::move(data);
    }
    return {{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(body)}};
}

}  // namespace sluice::plugins::route_mcp
