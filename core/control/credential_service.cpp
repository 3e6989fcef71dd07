#include "core/control/credential_service.hpp"

#include <nlohmann/json.hpp>

#include "core/admission/key_policy.hpp"
#include "core/auth/credential_token.hpp"
#include "core/control/pool_service.hpp"

namespace sluice::core::control {

namespace {

constexpr std::size_t kMaxNameLength = 120;

sdk::Status checkName(const std::string& name) {
    if (name.empty() || name.size() > kMaxNameLength) {
        return {sdk::StatusCode::InvalidArgument, "a name of 1 to 120 characters is required"};
    }
    return {};
}

const char* tokenKindName(sdk::OperatorTokenKind kind) {
    return kind == sdk::OperatorTokenKind::Admin ? "admin_token" : "mcp_token";
}

}  // namespace

const char* credentialStatusName(sdk::CredentialStatus status) noexcept {
    switch (status) {
        case sdk::CredentialStatus::Active:
            return "active";
        case sdk::CredentialStatus::Paused:
            return "paused";
        case sdk::CredentialStatus::Revoked:
            return "revoked";
    }
    return "unknown";
}

sdk::Result<Issued<sdk::ApiKeyRecord>> CredentialService::createKey(const std::string& pool,
                                                                    const std::string& name,
                                                                    const Actor& actor) {
    sdk::Status status = checkName(name);
    if (status.ok()) {
        status = PoolService(context_).find(pool).status();
    }
    if (!status.ok()) {
        recordAudit(context_, actor, "key.create", pool, status);
        return status;
    }
    const auth::IssuedToken token = auth::issueToken(sdk::CredentialKind::PoolKey);
    sdk::ApiKeyRecord record;
    record.prefix = token.prefix;
    record.hash = token.hash;
    record.pool = pool;
    record.name = name;
    record.created_at = record.updated_at = context_.clock.now();
    status = context_.storage.apiKeys().create(record);
    recordAudit(context_, actor, "key.create", record.prefix, status,
                nlohmann::json{{"pool", pool}, {"name", name}}.dump());
    if (!notifyChange(context_, status).ok()) {
        return status;
    }
    return Issued<sdk::ApiKeyRecord>{token.raw, std::move(record)};
}

sdk::Result<std::vector<sdk::ApiKeyRecord>> CredentialService::listKeys(
    const std::optional<std::string>& pool) const {
    if (pool) {
        return context_.storage.apiKeys().list(std::string_view(*pool));
    }
    return context_.storage.apiKeys().list(std::nullopt);
}

sdk::Status CredentialService::setKeyStatus(const std::string& prefix, sdk::CredentialStatus status,
                                            const Actor& actor) {
    sdk::Status outcome;
    auto key = context_.storage.apiKeys().findByPrefix(prefix);
    if (!key.ok()) {
        outcome = key.status();
    } else if (key->status == sdk::CredentialStatus::Revoked) {
        outcome = {sdk::StatusCode::FailedPrecondition, "key " + prefix + " is revoked for good"};
    } else {
        outcome = context_.storage.apiKeys().setStatus(prefix, status, context_.clock.now());
    }
    const char* action = status == sdk::CredentialStatus::Paused   ? "key.pause"
                         : status == sdk::CredentialStatus::Active ? "key.resume"
                                                                   : "key.revoke";
    recordAudit(context_, actor, action, prefix, outcome);
    return notifyChange(context_, outcome);
}

sdk::Result<Issued<sdk::ApiKeyRecord>> CredentialService::rotateKey(const std::string& prefix,
                                                                    const Actor& actor) {
    auto key = context_.storage.apiKeys().findByPrefix(prefix);
    sdk::Status status = key.status();
    std::optional<auth::IssuedToken> token;
    if (status.ok() && key->status == sdk::CredentialStatus::Revoked) {
        status = {sdk::StatusCode::FailedPrecondition, "key " + prefix + " is revoked for good"};
    } else if (status.ok()) {
        token = auth::reissueToken(prefix);
        if (!token) {
            status = {sdk::StatusCode::Internal, "stored key prefix " + prefix + " is malformed"};
        } else {
            key->updated_at = context_.clock.now();
            key->hash = token->hash;
            status = context_.storage.apiKeys().setHash(prefix, token->hash, key->updated_at);
        }
    }
    recordAudit(context_, actor, "key.rotate", prefix, status);
    if (!notifyChange(context_, status).ok()) {
        return status;
    }
    return Issued<sdk::ApiKeyRecord>{token->raw, std::move(key).value()};
}

sdk::Result<sdk::ApiKeyRecord> CredentialService::setKeyPolicy(const std::string& prefix,
                                                               std::string_view policy_json,
                                                               const Actor& actor) {
    auto key = context_.storage.apiKeys().findByPrefix(prefix);
    sdk::Status status = key.status();
    std::string stored;
    if (status.ok()) {
        auto policy = admission::parseKeyPolicy(policy_json);
        status = policy.status();
        if (status.ok()) {
            stored = admission::keyPolicyJson(policy.value());
            key->policy_json = stored;
            key->updated_at = context_.clock.now();
            status = context_.storage.apiKeys().setPolicy(prefix, stored, key->updated_at);
        }
    }
    recordAudit(context_, actor, "key.set_policy", prefix, status, status.ok() ? stored : "{}");
    if (!notifyChange(context_, status).ok()) {
        return status;
    }
    return std::move(key).value();
}

sdk::Result<Issued<sdk::OperatorTokenRecord>> CredentialService::createToken(
    sdk::OperatorTokenKind kind, const std::string& name, const Actor& actor) {
    const std::string action = std::string(tokenKindName(kind)) + ".create";
    if (sdk::Status status = checkName(name); !status.ok()) {
        recordAudit(context_, actor, action, name, status);
        return status;
    }
    const auth::IssuedToken token =
        auth::issueToken(kind == sdk::OperatorTokenKind::Admin ? sdk::CredentialKind::AdminToken
                                                               : sdk::CredentialKind::McpToken);
    sdk::OperatorTokenRecord record;
    record.prefix = token.prefix;
    record.hash = token.hash;
    record.kind = kind;
    record.name = name;
    record.created_at = context_.clock.now();
    const sdk::Status status = context_.storage.operatorTokens().create(record);
    recordAudit(context_, actor, action, record.prefix, status,
                nlohmann::json{{"name", name}}.dump());
    if (!notifyChange(context_, status).ok()) {
        return status;
    }
    return Issued<sdk::OperatorTokenRecord>{token.raw, std::move(record)};
}

sdk::Result<std::vector<sdk::OperatorTokenRecord>> CredentialService::listTokens(
    sdk::OperatorTokenKind kind) const {
    return context_.storage.operatorTokens().list(kind);
}

sdk::Status CredentialService::revokeToken(const std::string& prefix, const Actor& actor) {
    auto token = context_.storage.operatorTokens().findByPrefix(prefix);
    sdk::Status status = token.status();
    std::string action = "token.revoke";
    if (token.ok()) {
        action = std::string(tokenKindName(token->kind)) + ".revoke";
        status =
            context_.storage.operatorTokens().setStatus(prefix, sdk::CredentialStatus::Revoked);
    }
    recordAudit(context_, actor, action, prefix, status);
    return notifyChange(context_, status);
}

}  // namespace sluice::core::control
