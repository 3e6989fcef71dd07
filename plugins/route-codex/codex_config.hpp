#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::route_codex {

/// Settings of the codex_backend route family.
struct CodexConfig {
    std::string upstream_path;                  ///< upstream prefix, e.g. /backend-api/codex
    std::string client_version;                 ///< sent as ?client_version= on catalog fetches
    std::chrono::milliseconds models_cache_ttl; ///< how long a pool's catalog is reused
    std::vector<std::string> forward_headers;   ///< client headers passed upstream
};

sdk::ConfigSchema codexConfigSchema();
CodexConfig parseCodexConfig(const sdk::ConfigNode& config);

}  // namespace sluice::plugins::route_codex
