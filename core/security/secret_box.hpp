#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/storage_records.hpp"

namespace sluice::core::security {

/// AES-256-GCM encryption of upstream credentials at rest. New secrets use the active key
/// version; older versions stay decryptable until rotated away. Each secret is bound to its
/// purpose through the additional authenticated data (e.g. "acct_1f..:refresh_token"), so a
/// ciphertext copied into another row or field fails to decrypt. Thread-safe (immutable).
class SecretBox final {
public:
    /// `keys` maps version -> raw 32-byte key; `active_version` must be among them.
    SecretBox(std::map<std::uint32_t, std::string> keys, std::uint32_t active_version);

    sdk::EncryptedSecret encrypt(std::string_view plaintext, std::string_view aad) const;
    /// nullopt when the key version is unknown or the ciphertext/aad was tampered with.
    std::optional<std::string> decrypt(const sdk::EncryptedSecret& secret,
                                       std::string_view aad) const;

    std::uint32_t activeVersion() const noexcept { return active_version_; }

    /// A 32-byte key for another purpose (e.g. signing delegated credentials), derived from the
    /// active key with HMAC-SHA256 over `purpose`, so the one configured secret serves both and
    /// neither use reveals the other's key.
    std::string deriveKey(std::string_view purpose) const;

    /// Decodes a configured key (base64 or hex) to its 32 raw bytes; nullopt when malformed.
    static std::optional<std::string> decodeKey(std::string_view encoded);

private:
    std::map<std::uint32_t, std::string> keys_;
    std::uint32_t active_version_;
};

/// The AAD that binds an account's secret to its row and field ("acct_..:refresh_token").
std::string accountSecretAad(std::string_view account_id, std::string_view field);

}  // namespace sluice::core::security
