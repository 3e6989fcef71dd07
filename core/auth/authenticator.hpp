#pragma once

#include <optional>

#include "core/runtime/directory.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/http.hpp"

namespace sluice::core::auth {

/// The caller, or the typed 401 to send back.
struct AuthOutcome {
    std::optional<sdk::Principal> principal;
    sdk::ErrorInfo error;
};

/// Checks the credential a route requires against the in-memory directory (no storage I/O on the
/// request path). Each credential kind works on its own surface only; hashes are compared in
/// constant time. Thread-safe.
class Authenticator final {
public:
    explicit Authenticator(const runtime::Directory& directory) : directory_(directory) {}

    AuthOutcome authenticate(sdk::CredentialKind required, const sdk::Headers& headers) const;

private:
    const runtime::Directory& directory_;
};

/// The bearer token of `Authorization: Bearer <token>`, or for Pool keys also `x-api-key`
/// (Anthropic-style clients). Cookies and query strings are never read.
std::optional<std::string_view> presentedCredential(sdk::CredentialKind required,
                                                    const sdk::Headers& headers);

}  // namespace sluice::core::auth
