#pragma once

#include <string>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::route_mcp {

struct McpConfig {
    /// Browser origins allowed to call the endpoint. A request carrying any other Origin is
    /// refused (DNS-rebinding protection); non-browser clients send no Origin.
    std::vector<std::string> allowed_origins;
};

sdk::ConfigSchema mcpConfigSchema();
McpConfig parseMcpConfig(const sdk::ConfigNode& config);

}  // namespace sluice::plugins::route_mcp
