#pragma once

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <variant>

#include "json_rpc.hpp"
#include "sluice/plugins/common/operation_catalogue.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::plugins::route_mcp {

/// Protocol revisions this server speaks, newest first.
inline constexpr std::array<std::string_view, 3> kProtocolVersions{"2025-11-25", "2025-06-18",
                                                                   "2025-03-26"};

bool isSupportedVersion(std::string_view version) noexcept;

using MethodAnswer = std::variant<nlohmann::json, RpcError>;

/// Answers one MCP request: initialize, ping, tools/list or tools/call. Tools are the gateway
/// operations the caller's MCP token may run (read-only by construction), each declaring the
/// operation's input and output schemas.
MethodAnswer answerMethod(const RpcRequest& request, sdk::Gateway& gateway,
                          common::OperationCatalogue& catalogue);

}  // namespace sluice::plugins::route_mcp
