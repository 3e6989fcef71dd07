#pragma once

#include <string>

#include "sluice/sdk/host_settings.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_appserver {

/// The environment variable that carries an app-server's delegated Pool credential.
constexpr const char* kCredentialVariable = "SLUICE_POOL_CREDENTIAL";

/// `config.toml` for a managed app-server: every model call goes to Sluice's own Codex route on
/// `gateway_url` (a provider whose key is the delegated credential in kCredentialVariable),
/// nothing else is called (apps, plugins and analytics off), and threads default to
/// `default_model`.
std::string codexConfigToml(const std::string& gateway_url, const std::string& default_model);

/// The loopback URL of the gateway's Codex route: `server.listen` with a wildcard address
/// replaced by loopback, plus `mount`. Unavailable while the port is not known.
sdk::Result<std::string> gatewayCodexUrl(const sdk::ListenAddress& listen,
                                         const std::string& mount);

/// A directory name for an owner key: its prefix when it is plain (letters, digits, '-', '_'),
/// else a hex encoding, so an id never walks out of its parent.
std::string ownerDirectoryName(const std::string& owner_key);

/// Creates `directory` (and parents) with mode 0700 and writes `config.toml` into it (0600).
sdk::Status writeCodexHome(const std::string& directory, const std::string& config_toml);

}  // namespace sluice::plugins::route_appserver
