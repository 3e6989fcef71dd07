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
        case sdk::CredentialKind::PoolKey: return "a Pool API key";
        case sdk::CredentialKind::AdminToken: return "an admin token";
        case sdk::CredentialKind::McpToken: return "an MCP token";
        case sdk::CredentialKind::None: break;
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
        outcome.error = unauthorized("missing_credential",
                                     std::string("this route requires ") + surfaceName(required) +
                                         " as a Bearer token");
        return outcome;
    }
    const auto parsed = parseToken(*raw);
    if (!parsed || parsed->kind != required) {
        outcome.error = unauthorized("invalid_api_key", std::string("the credential is not ") +
                                                            surfaceName(required));
        return outcome;
    }
    const std::string hash = hashToken(*raw);
    const runtime::DirectorySnapshotPtr snapshot = directory_.snapshot();
    sdk::Principal principal;
    principal.kind = required;
    principal.id = parsed->prefix;
    if (required == sdk::CredentialKind::PoolKey) {
        const auto it = snapshot->api_keys.find(parsed->prefix);
        if (it == snapshot->api_keys.end() || !security::constantTimeEquals(it->second.hash, hash)) {
            outcome.error = unauthorized("invalid_api_key", "the Pool API key is not valid");
            return outcome;
        }
        if (it->second.status != sdk::CredentialStatus::Active) {
            outcome.error = unauthorized("invalid_api_key", std::string("the Pool API key is ") +
                                                                statusWord(it->second.status));
            return outcome;
        }
        if (snapshot->findPool(it->second.pool) == nullptr) {
            outcome.error = unauthorized("invalid_api_key", "the key's pool no longer exists");
            return outcome;
        }
        principal.name = it->second.name;
        principal.pool = it->second.pool;
        principal.policy_json = it->second.policy_json;
    } else {
        const auto it = snapshot->operator_tokens.find(parsed->prefix);
        const sdk::OperatorTokenKind kind = required == sdk::CredentialKind::AdminToken
                                                ? sdk::OperatorTokenKind::Admin
                                                : sdk::OperatorTokenKind::Mcp;
        if (it == snapshot->operator_tokens.end() || it->second.kind != kind ||
            !security::constantTimeEquals(it->second.hash, hash)) {
            outcome.error = unauthorized("invalid_token", std::string("the credential is not ") +
                                                              surfaceName(required));
            return outcome;
        }
        if (it->second.status != sdk::CredentialStatus::Active) {
            outcome.error = unauthorized("invalid_token", std::string("the token is ") +
                                                              statusWord(it->second.status));
            return outcome;
        }
        principal.name = it->second.name;
    }
    outcome.principal = std::move(principal);
    return outcome;
}

}  // namespace sluice::core::auth
