#pragma once

#include <string>

#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_appserver {

/// The environment variable that carries an app-server's delegated Pool credential.
constexpr const char* kCredentialVariable = "SLUICE_POOL_CREDENTIAL";

/// The loopback URL of the gateway's Codex route: `server.listen` with a wildcard address
/// replaced by loopback, plus `mount`. Unavailable while the port is not known.
sdk::Result<std::string> gatewayCodexUrl(const sdk::ListenAddress& listen,
                                         const std::string& mount);

/// A directory name for an owner key: its prefix when it is plain (letters, digits, '-', '_'),
/// else '~' and a hex encoding, so an id never walks out of its parent.
std::string ownerDirectoryName(const std::string& owner_key);

}  // namespace sluice::plugins::route_appserver
