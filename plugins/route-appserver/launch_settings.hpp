#pragma once

#include <string>

namespace sluice::plugins::route_appserver {

/// The environment variable that carries an app-server's delegated Pool credential.
constexpr const char* kCredentialVariable = "SLUICE_POOL_CREDENTIAL";

/// A directory name for an owner key: its prefix when it is plain (letters, digits, '-', '_'),
/// else '~' and a hex encoding, so an id never walks out of its parent.
std::string ownerDirectoryName(const std::string& owner_key);

}  // namespace sluice::plugins::route_appserver
