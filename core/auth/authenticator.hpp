#pragma once

#include <optional>

#include "core/auth/delegated_credential.hpp"
#include "core/billing/wallet_book.hpp"
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
/// constant time. A delegated credential (DelegatedCredentialSigner) stands for its Pool key
/// until it expires or the key changes. Thread-safe.
class Authenticator final {
public:
    /// `book` (null when billing is off) knows the customers whose username acts as a bearer.
    Authenticator(const runtime::Directory& directory, const DelegatedCredentialSigner& delegated,
                  const sdk::Clock& clock, const billing::WalletBook* book = nullptr)
        : directory_(directory), delegated_(delegated), clock_(clock), book_(book) {}

    AuthOutcome authenticate(sdk::CredentialKind required, const sdk::Headers& headers) const;
    /// A Bearer that is the username of a customer who opted in (seed 002's compatibility),
    /// authenticated as that customer's first active wallet key (by prefix); only for routes
    /// whose family accepts usernames (sdk::AcceptsCustomerUsernames). The typed 401 otherwise.
    AuthOutcome customerUsername(const sdk::Headers& headers) const;

private:
    AuthOutcome poolKey(std::string_view raw, const runtime::DirectorySnapshot& snapshot) const;
    AuthOutcome operatorToken(sdk::CredentialKind required, std::string_view raw,
                              const runtime::DirectorySnapshot& snapshot) const;
    /// The key a presented Pool credential stands for, once its secret or signature checks out.
    const sdk::ApiKeyRecord* presentedKey(std::string_view raw,
                                          const runtime::DirectorySnapshot& snapshot) const;

    const runtime::Directory& directory_;
    const DelegatedCredentialSigner& delegated_;
    const sdk::Clock& clock_;
    const billing::WalletBook* book_;
};

/// The bearer token of `Authorization: Bearer <token>`, or for Pool keys also `x-api-key`
/// (Anthropic-style clients). Cookies and query strings are never read.
std::optional<std::string_view> presentedCredential(sdk::CredentialKind required,
                                                    const sdk::Headers& headers);

}  // namespace sluice::core::auth
