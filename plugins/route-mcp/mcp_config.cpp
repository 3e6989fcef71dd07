#include "mcp_config.hpp"

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_mcp {

namespace field = sdk::field;
namespace cfg = sdk::config;

sdk::ConfigSchema mcpConfigSchema() {
    return {
        field::stringList(
            "allowed_origins",
            "Browser origins (scheme://host[:port]) allowed to call /mcp; others get 403")
            .defaultsTo("[]"),
    };
}

McpConfig parseMcpConfig(const sdk::ConfigNode& config) {
    McpConfig parsed;
    parsed.allowed_origins = cfg::getStringList(config, "allowed_origins");
    return parsed;
}

}  // namespace sluice::plugins::route_mcp
