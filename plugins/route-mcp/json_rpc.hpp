#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace sluice::plugins::route_mcp {

/// JSON-RPC 2.0 error codes used by the endpoint.
namespace rpc_code {
constexpr int kParseError = -32700;
constexpr int kInvalidRequest = -32600;
constexpr int kMethodNotFound = -32601;
constexpr int kInvalidParams = -32602;
constexpr int kInternalError = -32603;
/// An HTTP-level refusal (authentication, size, origin); `data` carries the HTTP details.
constexpr int kServerError = -32000;
}  // namespace rpc_code

struct RpcError {
    int code = rpc_code::kInternalError;
    std::string message;
};

struct RpcRequest {
    nlohmann::json id;
    std::string method;
    nlohmann::json params = nlohmann::json::object();
};

/// One client message, validated. Exactly one of: a request to answer, an error to answer
/// (with `id` when it was readable, else null), or neither — a notification or a response,
/// which is acknowledged without an answer.
struct ParsedMessage {
    nlohmann::json id;
    std::optional<RpcRequest> request;
    std::optional<RpcError> error;
};

/// Batches are refused (MCP 2025-06-18 dropped them).
ParsedMessage parseMessage(const nlohmann::json& document);

nlohmann::json resultMessage(const nlohmann::json& id, nlohmann::json result);
nlohmann::json errorMessage(const nlohmann::json& id, const RpcError& error,
                            nlohmann::json data = nullptr);

}  // namespace sluice::plugins::route_mcp
