#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/runtime/directory.hpp"
#include "sluice/sdk/delegated_credentials.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::core::auth {

/// What a delegated credential claims: "sluice-run-<key id>.<expiry>.<mac>".
struct DelegatedClaim {
    std::string key_prefix;  ///< the Pool key it stands for, e.g. "sk-sluice-1a2b3c4d5e6f"
    std::chrono::system_clock::time_point expires_at;
    std::string mac;  ///< base64url HMAC-SHA256
};

/// Signs and checks delegated credentials. The MAC covers the key's prefix, the expiry and the
/// key's stored hash, so rotating the key ends every credential minted for it; nothing is stored.
/// Immutable; thread-safe.
class DelegatedCredentialSigner final {
public:
    /// `signing_key`: 32 bytes derived from the gateway's secret key (SecretBox::deriveKey).
    explicit DelegatedCredentialSigner(std::string signing_key)
        : signing_key_(std::move(signing_key)) {}

    std::string sign(std::string_view key_prefix, std::string_view key_hash,
                     std::chrono::system_clock::time_point expires_at) const;
    /// True when `claim` was signed for this key hash (not checking expiry).
    bool verify(const DelegatedClaim& claim, std::string_view key_hash) const;

    /// The claim of a well-formed delegated credential; nullopt for anything else.
    static std::optional<DelegatedClaim> parse(std::string_view raw);
    /// True when `raw` is spelled like a delegated credential (well formed or not).
    static bool looksDelegated(std::string_view raw) noexcept;

private:
    std::string mac(std::string_view key_prefix, std::string_view key_hash,
                    std::chrono::system_clock::time_point expires_at) const;

    std::string signing_key_;
};

/// sdk::DelegatedCredentials over the in-memory directory: mints credentials for active keys.
/// Thread-safe.
class CredentialDelegation final : public sdk::DelegatedCredentials {
public:
    static constexpr std::chrono::seconds kMaxLifetime = std::chrono::hours(24 * 7);

    CredentialDelegation(const runtime::Directory& directory,
                         const DelegatedCredentialSigner& signer, const sdk::Clock& clock)
        : directory_(directory), signer_(signer), clock_(clock) {}

    sdk::Result<sdk::DelegatedCredential> delegate(std::string_view key_id,
                                                   std::chrono::seconds ttl) noexcept override;

private:
    const runtime::Directory& directory_;
    const DelegatedCredentialSigner& signer_;
    const sdk::Clock& clock_;
};

}  // namespace sluice::core::auth
