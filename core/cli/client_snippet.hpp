#pragma once

#include <optional>
#include <string>

#include "core/config/pipeline.hpp"

namespace sluice::core::cli {

/// What a Codex CLI needs to use a new Pool API key: the provider block of
/// ~/.codex/config.toml and the environment variable it reads the key from.
struct ClientSnippet {
    std::string base_url;  ///< the gateway's origin + the codex_backend mount
    std::string env_key;   ///< where the client reads the key
    std::string config_toml;
};

/// True for `http://host[:port]` or `https://host[:port]`, a trailing '/' allowed (no path,
/// quote or space), which a snippet can embed as is.
bool isGatewayOrigin(const std::string& url);

/// The snippet for `pipeline`'s codex_backend route, reached at `gateway_url` (scheme://host
/// [:port], as clients see the gateway) or, when none is given, at the listen address (a
/// wildcard address becomes loopback). None when the pipeline mounts no codex_backend route.
/// Any thread.
std::optional<ClientSnippet> codexClientSnippet(const config::Pipeline& pipeline,
                                                const std::optional<std::string>& gateway_url);

}  // namespace sluice::core::cli
