#pragma once

#include <nlohmann/json.hpp>

#include "core/control/control_context.hpp"
#include "sluice/sdk/status.hpp"

/// The Codex CLI provider block a new key's holder pastes (cli::codexClientSnippet), as
/// operations answer it: when a key is issued (keys.create) and on a customer's profile.
namespace sluice::core::ops::views {

/// The optional `gateway_url` parameter: scheme://host[:port] as clients reach the gateway.
nlohmann::json gatewayUrlSchema();
/// InvalidArgument when `params` holds a gateway_url that is not such an origin.
sdk::Status checkGatewayUrl(const nlohmann::json& params);

/// {base_url, env_key, config_toml} for params' gateway_url, else the listen address; null when
/// the pipeline mounts no codex_backend route.
nlohmann::json codexSnippet(const control::ControlContext& control, const nlohmann::json& params);
nlohmann::json codexSnippetSchema();

}  // namespace sluice::core::ops::views
