#include "core/auth/authenticator.hpp"

#include "core/auth/credential_token.hpp"
#include "core/security/encoding.hpp"

namespace sluice::core::auth {

namespace {

sdk::ErrorInfo unauthorized(std::string code, std::string message) {
    return {401, "authentication_error", std::move(code), std::move(message), "", 0, ""};
}

const char* surfaceName(sdk::CredentialKind kind) {
    switch (kind) {
        case sdk::CredentialKind::PoolKey:
            return "a Pool API key";
        case sdk::CredentialKind::AdminToken:
            return "an admin token";
        case sdk::CredentialKind::McpToken:
            return "an MCP token";
        case sdk::CredentialKind::None:
            break;
    }
    return "no credential";
}

const char* statusWord(sdk::CredentialStatus status) {
    return status == sdk::CredentialStatus::Paused ? "paused" : "revoked";
}

}  // namespace

std::optional<std::string_view> presentedCredential(sdk::CredentialKind required,
                                                    const sdk::Headers& headers) {
    if (const auto authorization = sdk::findHeader(headers, "authorization")) {
        constexpr std::string_view kScheme = "bearer ";
        if (authorization->size() > kScheme.size() &&
            sdk::equalsIgnoreCase(authorization->substr(0, kScheme.size()), kScheme)) {
            std::string_view token = authorization->substr(kScheme.size());
            while (!token.empty() && token.front() == ' ') {
                token.remove_prefix(1);
            }
            return token;
        }
        return std::nullopt;
    }
    if (required == sdk::CredentialKind::PoolKey) {
        return sdk::findHeader(headers, "x-api-key");
    }
    return std::nullopt;
}

AuthOutcome Authenticator::authenticate(sdk::CredentialKind required,
                                        const sdk::Headers& headers) const {
    AuthOutcome outcome;
    if (required == sdk::CredentialKind::None) {
        outcome.principal = sdk::Principal{};
        return outcome;
    }
    const auto raw = presentedCredential(required, headers);
    if (!raw || raw->empty()) {
        outcome.error =
            unauthorized("missing_credential", std::string("this route requires ") +
                                                   surfaceName(required) + " as a Bearer token");
        return outcome;
    }
    const runtime::DirectorySnapshotPtr snapshot = directory_.snapshot();
    if (required == sdk::CredentialKind::PoolKey) {
        return poolKey(*raw, *snapshot);
    }
    return operatorToken(required, *raw, *snapshot);
}

const sdk::ApiKeyRecord* Authenticator::presentedKey(
    std::string_view raw, const runtime::DirectorySnapshot& snapshot) const {
    if (DelegatedCredentialSigner::looksDelegated(raw)) {
        const auto claim = DelegatedCredentialSigner::parse(raw);
        if (!claim || claim->expires_at <= clock_.now()) {
            return nullptr;
        }
        const auto it = snapshot.api_keys.find(claim->key_prefix);
        const bool signed_for_key =
            it != snapshot.api_keys.end() && delegated_.verify(*claim, it->second.hash);
        return signed_for_key ? &it->second : nullptr;
    }
    const auto parsed = parseToken(raw);
    if (!parsed || parsed->kind != sdk::CredentialKind::PoolKey) {
        return nullptr;
    }
    const auto it = snapshot.api_keys.find(parsed->prefix);
    const bool matches = it != snapshot.api_keys.end() &&
                         security::constantTimeEquals(it->second.hash, hashToken(raw));
    return matches ? &it->second : nullptr;
}

AuthOutcome Authenticator::poolKey(std::string_view raw,
                                   const runtime::DirectorySnapshot& snapshot) const {
    AuthOutcome outcome;
    const sdk::ApiKeyRecord* key = presentedKey(raw, snapshot);
    if (key == nullptr) {
        const auto parsed = parseToken(raw);
        const bool spelled_right = DelegatedCredentialSigner::looksDelegated(raw) ||
                                   (parsed && parsed->kind == sdk::CredentialKind::PoolKey);
        outcome.error =
            spelled_right ? unauthorized("invalid_api_key", "the Pool API key is not valid")
                          : unauthorized("invalid_api_key", "the credential is not a Pool API key");
        return outcome;
    }
    if (key->status != sdk::CredentialStatus::Active) {
        outcome.error = unauthorized("invalid_api_key",
                                     std::string("the Pool API key is ") + statusWord(key->status));
        return outcome;
    }
    if (snapshot.findPool(key->pool) == nullptr) {
        outcome.error = unauthorized("invalid_api_key", "the key's pool no longer exists");
        return outcome;
    }
    outcome.principal = sdk::Principal{sdk::CredentialKind::PoolKey, key->prefix, key->name,
                                       key->pool, key->policy_json};
    return outcome;
}

AuthOutcome Authenticator::customerUsername(const sdk::Headers& headers) const {
    AuthOutcome outcome;
    outcome.error = unauthorized("invalid_api_key", "the Pool API key is not valid");
    const auto raw = presentedCredential(sdk::CredentialKind::PoolKey, headers);
    const auto wallet = raw && book_ != nullptr ? book_->walletOfUsername(*raw) : std::nullopt;
    if (!wallet) {
        return outcome;
    }
    const runtime::DirectorySnapshotPtr snapshot = directory_.snapshot();
    for (const std::string& prefix : book_->keysOf(*wallet)) {
        const auto it = snapshot->api_keys.find(prefix);
        if (it == snapshot->api_keys.end() || it->second.status != sdk::CredentialStatus::Active ||
            snapshot->findPool(it->second.pool) == nullptr) {
            continue;
        }
        const sdk::ApiKeyRecord& key = it->second;
        outcome.principal = sdk::Principal{sdk::CredentialKind::PoolKey, key.prefix, key.name,
                                           key.pool, key.policy_json};
        return outcome;
    }
    return outcome;
}

AuthOutcome Authenticator::operatorToken(sdk::CredentialKind required, std::string_view raw,
                                         const runtime::DirectorySnapshot& snapshot) const {
    AuthOutcome outcome;
    const auto parsed = parseToken(raw);
    if (!parsed || parsed->kind != required) {
        outcome.error = unauthorized("invalid_api_key",
                                     std::string("the credential is not ") + surfaceName(required));
        return outcome;
    }
    const auto it = snapshot.operator_tokens.find(parsed->prefix);
    const sdk::OperatorTokenKind kind = required == sdk::CredentialKind::AdminToken
                                            ? sdk::OperatorTokenKind::Admin
                                            : sdk::OperatorTokenKind::Mcp;
    if (it == snapshot.operator_tokens.end() || it->second.kind != kind ||
        !security::constantTimeEquals(it->second.hash, hashToken(raw))) {
        outcome.error = unauthorized("invalid_token",
                                     std::string("the credential is not ") + surfaceName(required));
        return outcome;
    }
    if (it->second.status != sdk::CredentialStatus::Active) {
        outcome.error = unauthorized("invalid_token",
                                     std::string("the token is ") + statusWord(it->second.status));
        return outcome;
    }
    outcome.principal = sdk::Principal{required, parsed->prefix, it->second.name, "", ""};
    return outcome;
}

}  // namespace sluice::core::auth
