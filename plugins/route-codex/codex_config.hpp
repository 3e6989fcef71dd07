#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/host_settings.hpp"

namespace sluice::plugins::route_codex {

/// Settings of the codex_backend route family.
struct CodexConfig {
    std::string upstream_path;   ///< the host's `upstream.codex_path`, e.g. /backend-api/codex
    std::string client_version;  ///< the host's, sent as ?client_version= on catalog fetches
    std::chrono::milliseconds models_cache_ttl;  ///< how long a pool's catalog is reused
    std::vector<std::string> forward_headers;    ///< client headers passed upstream
};

sdk::ConfigSchema codexConfigSchema();
/// `config` with what the host declares for every family (`upstream:`).
CodexConfig parseCodexConfig(const sdk::ConfigNode& config, const sdk::UpstreamIdentity& upstream);

}  // namespace sluice::plugins::route_codex
