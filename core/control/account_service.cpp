#include "core/control/account_service.hpp"

#include <nlohmann/json.hpp>

#include "core/control/auth_json.hpp"
#include "core/control/pool_service.hpp"
#include "core/security/encoding.hpp"
#include "core/security/identifiers.hpp"

namespace sluice::core::control {

const char* accountStatusName(sdk::AccountStatus status) noexcept {
    switch (status) {
        case sdk::AccountStatus::Active:
            return "active";
        case sdk::AccountStatus::RefreshDue:
            return "refresh_due";
        case sdk::AccountStatus::Refreshing:
            return "refreshing";
        case sdk::AccountStatus::RefreshFailed:
            return "refresh_failed";
        case sdk::AccountStatus::ReauthRequired:
            return "reauth_required";
        case sdk::AccountStatus::Paused:
            return "paused";
        case sdk::AccountStatus::Disabled:
            return "disabled";
    }
    return "unknown";
}

std::optional<sdk::Labels> parseLabels(std::string_view text) {
    sdk::Labels labels;
    while (!text.empty()) {
        const auto comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        const auto equals = item.find('=');
        if (equals == std::string_view::npos || equals == 0) {
            return std::nullopt;
        }
        labels.emplace_back(std::string(item.substr(0, equals)),
                            std::string(item.substr(equals + 1)));
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    }
    return labels;
}

sdk::Result<sdk::AccountRecord> AccountService::importAuthJson(
    const std::string& pool, std::string_view auth_json, const std::optional<std::string>& label,
    const sdk::Labels& labels, const Actor& actor) {
    auto login = parseAuthJson(auth_json);
    if (!login.ok()) {
        recordAudit(context_, actor, "account.import", pool, login.status());
        return login.status();
    }
    return storeLogin(pool, login.value(), label, labels, actor, "account.import");
}

sdk::Result<sdk::AccountRecord> AccountService::storeLogin(
    const std::string& pool, const CodexLogin& login, const std::optional<std::string>& label,
    const sdk::Labels& labels, const Actor& actor, const std::string& action) {
    const auto fail = [&](sdk::Status status) -> sdk::Result<sdk::AccountRecord> {
        recordAudit(context_, actor, action, pool, status);
        return status;
    };
    if (const auto found = PoolService(context_).find(pool); !found.ok()) {
        return fail(found.status());
    }
    const auto now = context_.clock.now();
    sdk::AccountRecord record;
    record.id = security::newRecordId("acct", now);
    record.pool = pool;
    record.chatgpt_account_id = login.account_id;
    record.chatgpt_user_id = login.user_id;
    record.plan_type = login.plan_type;
    record.labels = labels;
    record.label =
        label.value_or(login.plan_type + "-" + security::sha256Hex(login.account_id).substr(0, 6));
    if (!isValidName(record.label)) {
        return fail({sdk::StatusCode::InvalidArgument,
                     "labels use lowercase letters, digits, '-' and '_' (at most 63)"});
    }
    record.access_token = context_.secrets.encrypt(
        login.access_token, security::accountSecretAad(record.id, "access_token"));
    if (!login.refresh_token.empty()) {
        record.refresh_token = context_.secrets.encrypt(
            login.refresh_token, security::accountSecretAad(record.id, "refresh_token"));
    }
    if (!login.id_token.empty()) {
        record.id_token = context_.secrets.encrypt(
            login.id_token, security::accountSecretAad(record.id, "id_token"));
    }
    record.access_expires_at = login.access_expires_at.value_or(sdk::TimePoint{});
    record.last_refresh_at = now;
    const bool expired = login.access_expires_at && *login.access_expires_at <= now;
    if (expired) {
        record.status = login.refresh_token.empty() ? sdk::AccountStatus::ReauthRequired
                                                    : sdk::AccountStatus::RefreshDue;
    }
    record.created_at = record.updated_at = now;
    sdk::Status status = context_.storage.accounts().create(record);
    if (status.code() == sdk::StatusCode::AlreadyExists) {
        status = {sdk::StatusCode::AlreadyExists,
                  "this ChatGPT seat or the label '" + record.label + "' is already imported"};
    }
    recordAudit(
        context_, actor, action, record.id, status,
        nlohmann::json{{"pool", pool}, {"label", record.label}, {"plan_type", record.plan_type}}
            .dump());
    if (!notifyChange(context_, status).ok()) {
        return status;
    }
    return record;
}

sdk::Result<std::vector<sdk::AccountRecord>> AccountService::list(
    const std::optional<std::string>& pool) const {
    if (pool) {
        return context_.storage.accounts().list(std::string_view(*pool));
    }
    return context_.storage.accounts().list(std::nullopt);
}

sdk::Status AccountService::setPaused(const std::string& id, bool paused, const Actor& actor) {
    sdk::Status status;
    auto account = context_.storage.accounts().get(id);
    if (!account.ok()) {
        status = account.status();
    } else if (!paused && account->status != sdk::AccountStatus::Paused) {
        status = {sdk::StatusCode::FailedPrecondition, "account " + id + " is not paused"};
    } else {
        status = context_.storage.accounts().updateStatus(
            id, paused ? sdk::AccountStatus::Paused : sdk::AccountStatus::Active,
            paused ? "paused by operator" : "", context_.clock.now());
    }
    recordAudit(context_, actor, paused ? "account.pause" : "account.resume", id, status);
    return notifyChange(context_, status);
}

sdk::Status AccountService::remove(const std::string& id, const Actor& actor) {
    sdk::Status status = context_.storage.accounts().remove(id);
    recordAudit(context_, actor, "account.delete", id, status);
    return notifyChange(context_, status);
}

}  // namespace sluice::core::control
