#pragma once

#include <string>

#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_runner {

/// Registers the `codex_runner` route family.
void registerFactories(sdk::Registrar& registrar);

/// Sluice's Codex backend as a loopback URL for a child on this host: a wildcard listen address
/// becomes 127.0.0.1 (or [::1]); empty while the gateway has no port.
std::string backendUrl(const sdk::ListenAddress& listen, const std::string& backend_path);

}  // namespace sluice::plugins::route_runner
