#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/control/control_context.hpp"

namespace sluice::core::control {

/// A credential just created; `raw` is shown once and never stored.
template <class Record>
struct Issued {
    std::string raw;
    Record record;
};

/// Pool API keys and operator (admin, MCP) tokens: issue, list, revoke. Only prefix and hash are
/// stored.
class CredentialService final {
public:
    explicit CredentialService(ControlContext& context) : context_(context) {}

    sdk::Result<Issued<sdk::ApiKeyRecord>> createKey(const std::string& pool,
                                                     const std::string& name, const Actor& actor);
    sdk::Result<std::vector<sdk::ApiKeyRecord>> listKeys(
        const std::optional<std::string>& pool) const;
    sdk::Status setKeyStatus(const std::string& prefix, sdk::CredentialStatus status,
                             const Actor& actor);
    /// A new secret for the same key (prefix, pool, policy and history stay); the old secret
    /// stops working at once. Revoked keys cannot be rotated.
    sdk::Result<Issued<sdk::ApiKeyRecord>> rotateKey(const std::string& prefix, const Actor& actor);
    /// Validates and stores a key policy (see admission::KeyPolicy); returns the stored form.
    sdk::Result<sdk::ApiKeyRecord> setKeyPolicy(const std::string& prefix,
                                                std::string_view policy_json, const Actor& actor);

    sdk::Result<Issued<sdk::OperatorTokenRecord>> createToken(sdk::OperatorTokenKind kind,
                                                              const std::string& name,
                                                              const Actor& actor);
    sdk::Result<std::vector<sdk::OperatorTokenRecord>> listTokens(
        sdk::OperatorTokenKind kind) const;
    sdk::Status revokeToken(const std::string& prefix, const Actor& actor);

private:
    ControlContext& context_;
};

const char* credentialStatusName(sdk::CredentialStatus status) noexcept;

}  // namespace sluice::core::control
