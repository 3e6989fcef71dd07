#include "route_mcp_factory.hpp"

#include "mcp_family.hpp"

namespace sluice::plugins::route_mcp {

namespace {

class McpFactory final : public sdk::RouteFamilyFactory {
public:
    std::string name() const override { return "mcp"; }
    std::string description() const override {
        return "Operator MCP endpoint (JSON-RPC over Streamable HTTP): read-only tools over pools, "
               "accounts, keys, request logs, audit events and routing explanations; MCP tokens "
               "only";
    }
    std::string defaultMount() const override { return "/mcp"; }
    sdk::ConfigSchema schema() const override { return mcpConfigSchema(); }
    sdk::RouteFamilyPtr create(const sdk::ConfigNode& config, sdk::HostServices&) const override {
        return std::make_unique<McpFamily>(parseMcpConfig(config));
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRouteFamily(std::make_unique<McpFactory>());
}

}  // namespace sluice::plugins::route_mcp
