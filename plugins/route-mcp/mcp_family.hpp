#pragma once

#include "mcp_config.hpp"
#include "mcp_methods.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_mcp {

/// The operator MCP endpoint: JSON-RPC over Streamable HTTP, answered on POST with one JSON
/// body (no SSE stream, so GET answers 405). Stateless: no Mcp-Session-Id is issued, each
/// request is authenticated by its MCP token.
class McpFamily final : public sdk::RouteFamily {
public:
    explicit McpFamily(McpConfig config);

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    void handlePost(sdk::Exchange& exchange);
    /// A refusal before any JSON-RPC message was read (origin, version, media type, JSON).
    void refuse(sdk::Exchange& exchange, int http_status, const RpcError& error);

    McpConfig config_;
    common::OperationCatalogue catalogue_;
};

}  // namespace sluice::plugins::route_mcp
