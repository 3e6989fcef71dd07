#include "core/auth/credential_token.hpp"

#include <array>

#include "core/security/encoding.hpp"

namespace sluice::core::auth {

namespace {

constexpr std::size_t kIdBytes = 6;       // 12 hex characters
constexpr std::size_t kSecretBytes = 32;  // 43 base64url characters
constexpr std::size_t kSecretChars = 43;

struct Spelling {
    sdk::CredentialKind kind;
    std::string_view lead;
};

constexpr std::array<Spelling, 3> kSpellings{{
    {sdk::CredentialKind::PoolKey, "sk-sluice-"},
    {sdk::CredentialKind::AdminToken, "sluice-admin-"},
    {sdk::CredentialKind::McpToken, "sluice-mcp-"},
}};

std::string_view leadFor(sdk::CredentialKind kind) {
    for (const auto& spelling : kSpellings) {
        if (spelling.kind == kind) {
            return spelling.lead;
        }
    }
    return "";
}

bool isHex(std::string_view text) {
    for (const char c : text) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            return false;
        }
    }
    return true;
}

bool isBase64Url(std::string_view text) {
    for (const char c : text) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_';
        if (!ok) {
            return false;
        }
    }
    return true;
}

}  // namespace

namespace {

IssuedToken withNewSecret(std::string prefix) {
    std::string raw = prefix + "-" + security::toBase64Url(security::randomBytes(kSecretBytes));
    std::string hash = hashToken(raw);
    return IssuedToken{std::move(raw), std::move(prefix), std::move(hash)};
}

}  // namespace

IssuedToken issueToken(sdk::CredentialKind kind) {
    return withNewSecret(std::string(leadFor(kind)) +
                         security::toHex(security::randomBytes(kIdBytes)));
}

std::optional<IssuedToken> reissueToken(std::string_view prefix) {
    IssuedToken token = withNewSecret(std::string(prefix));
    if (!parseToken(token.raw)) {
        return std::nullopt;
    }
    return token;
}

std::optional<PresentedToken> parseToken(std::string_view raw) {
    for (const auto& spelling : kSpellings) {
        if (raw.substr(0, spelling.lead.size()) != spelling.lead) {
            continue;
        }
        const std::string_view rest = raw.substr(spelling.lead.size());
        if (rest.size() != kIdBytes * 2 + 1 + kSecretChars || rest[kIdBytes * 2] != '-') {
            return std::nullopt;
        }
        const std::string_view id = rest.substr(0, kIdBytes * 2);
        const std::string_view secret = rest.substr(kIdBytes * 2 + 1);
        if (!isHex(id) || !isBase64Url(secret)) {
            return std::nullopt;
        }
        return PresentedToken{spelling.kind, std::string(spelling.lead) + std::string(id)};
    }
    return std::nullopt;
}

std::string hashToken(std::string_view raw) {
    return security::sha256Hex(raw);
}

}  // namespace sluice::core::auth
