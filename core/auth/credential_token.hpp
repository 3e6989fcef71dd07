#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/exchange.hpp"

namespace sluice::core::auth {

/// A freshly issued credential. `raw` is shown once and never stored.
struct IssuedToken {
    std::string raw;     ///< e.g. "sk-sluice-1a2b3c4d5e6f-<43 chars>"
    std::string prefix;  ///< public lookup id, e.g. "sk-sluice-1a2b3c4d5e6f"
    std::string hash;    ///< hex SHA-256 of `raw`
};

/// The public parts of a presented credential.
struct PresentedToken {
    sdk::CredentialKind kind = sdk::CredentialKind::None;
    std::string prefix;
};

/// Issues a random credential of the given kind (Pool key, admin token or MCP token). Each kind
/// has its own spelling so a credential is recognisable at a glance and in secret scanners.
IssuedToken issueToken(sdk::CredentialKind kind);

/// A new secret for an existing credential `prefix` (rotation keeps the public id); nullopt
/// when the prefix is not one this gateway issues.
std::optional<IssuedToken> reissueToken(std::string_view prefix);

/// Recognises the kind and prefix of a presented credential; nullopt when malformed.
std::optional<PresentedToken> parseToken(std::string_view raw);

/// Hash stored for a credential.
std::string hashToken(std::string_view raw);

}  // namespace sluice::core::auth
