#include "postgres_account_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectAccount =
    "SELECT id, pool, label, chatgpt_account_id, plan_type, status, status_reason, "
    "access_token_key_version, access_token, refresh_token_key_version, refresh_token, "
    "id_token_key_version, id_token, access_expires_at, last_refresh_at, weight, priority, "
    "created_at, updated_at, chatgpt_user_id, labels FROM accounts";

sdk::AccountRecord readAccount(const PostgresResult& rows, int row) {
    sdk::AccountRecord account;
    account.id = rows.text(row, 0);
    account.pool = rows.text(row, 1);
    account.label = rows.text(row, 2);
    account.chatgpt_account_id = rows.text(row, 3);
    account.plan_type = rows.text(row, 4);
    account.status = parseAccountStatus(rows.text(row, 5));
    account.status_reason = rows.text(row, 6);
    account.access_token = readSecret(rows, row, 7);
    account.refresh_token = readSecret(rows, row, 9);
    account.id_token = readSecret(rows, row, 11);
    account.access_expires_at = fromMillis(rows.integer(row, 13));
    account.last_refresh_at = fromMillis(rows.integer(row, 14));
    account.weight = static_cast<std::uint32_t>(rows.integer(row, 15));
    account.priority = static_cast<std::int32_t>(rows.integer(row, 16));
    account.created_at = fromMillis(rows.integer(row, 17));
    account.updated_at = fromMillis(rows.integer(row, 18));
    account.chatgpt_user_id = rows.text(row, 19);
    account.labels = parseLabels(rows.text(row, 20));
    return account;
}

std::vector<sdk::AccountRecord> readAccounts(const PostgresResult& rows) {
    std::vector<sdk::AccountRecord> accounts;
    accounts.reserve(static_cast<std::size_t>(rows.rows()));
    for (int row = 0; row < rows.rows(); ++row) {
        accounts.push_back(readAccount(rows, row));
    }
    return accounts;
}

}  // namespace

sdk::Status PostgresAccountRepository::create(const sdk::AccountRecord& account) noexcept {
    return guarded("accounts.create", [&] {
        PostgresParams params;
        params.text(account.id)
            .text(account.pool)
            .text(account.label)
            .text(account.chatgpt_account_id)
            .text(account.plan_type)
            .text(accountStatusText(account.status))
            .text(account.status_reason);
        addSecret(params, account.access_token);
        addSecret(params, account.refresh_token);
        addSecret(params, account.id_token);
        params.integer(toMillis(account.access_expires_at))
            .integer(toMillis(account.last_refresh_at))
            .integer(account.weight)
            .integer(account.priority)
            .integer(toMillis(account.created_at))
            .integer(toMillis(account.updated_at))
            .text(account.chatgpt_user_id)
            .text(labelsText(account.labels));
        pool_.acquire()->exec(
            "INSERT INTO accounts (id, pool, label, chatgpt_account_id, plan_type, status, "
            "status_reason, access_token_key_version, access_token, refresh_token_key_version, "
            "refresh_token, id_token_key_version, id_token, access_expires_at, last_refresh_at, "
            "weight, priority, created_at, updated_at, chatgpt_user_id, labels) VALUES ($1, $2, "
            "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, "
            "$21)",
            params);
        return sdk::Status::success();
    });
}

sdk::Status PostgresAccountRepository::update(const sdk::AccountRecord& account) noexcept {
    return guarded("accounts.update", [&] {
        const PostgresResult result = pool_.acquire()->exec(
            "UPDATE accounts SET pool = $2, label = $3, plan_type = $4, weight = $5, "
            "priority = $6, labels = $7, updated_at = $8 WHERE id = $1",
            PostgresParams()
                .text(account.id)
                .text(account.pool)
                .text(account.label)
                .text(account.plan_type)
                .integer(account.weight)
                .integer(account.priority)
                .text(labelsText(account.labels))
                .integer(toMillis(account.updated_at)));
        return result.affected() == 0 ? notFound("account", account.id) : sdk::Status::success();
    });
}

sdk::Result<sdk::AccountRecord> PostgresAccountRepository::get(std::string_view id) noexcept {
    return guarded("accounts.get", [&]() -> sdk::Result<sdk::AccountRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string(kSelectAccount) + " WHERE id = $1", PostgresParams().text(id));
        if (rows.rows() == 0) {
            return notFound("account", id);
        }
        return readAccount(rows, 0);
    });
}

sdk::Result<std::vector<sdk::AccountRecord>> PostgresAccountRepository::list(
    std::optional<std::string_view> pool) noexcept {
    return guarded("accounts.list", [&]() -> sdk::Result<std::vector<sdk::AccountRecord>> {
        if (pool) {
            return readAccounts(pool_.acquire()->exec(
                std::string(kSelectAccount) + " WHERE pool = $1 ORDER BY created_at, seq",
                PostgresParams().text(*pool)));
        }
        return readAccounts(
            pool_.acquire()->exec(std::string(kSelectAccount) + " ORDER BY created_at, seq"));
    });
}

sdk::Status PostgresAccountRepository::updateStatus(std::string_view id, sdk::AccountStatus status,
                                                    std::string_view reason,
                                                    sdk::TimePoint updated_at) noexcept {
    return guarded("accounts.update_status", [&] {
        const PostgresResult result = pool_.acquire()->exec(
            "UPDATE accounts SET status = $2, status_reason = $3, updated_at = $4 WHERE id = $1",
            PostgresParams()
                .text(id)
                .text(accountStatusText(status))
                .text(reason)
                .integer(toMillis(updated_at)));
        return result.affected() == 0 ? notFound("account", id) : sdk::Status::success();
    });
}

sdk::Status PostgresAccountRepository::updateCredentials(std::string_view id,
                                                         const sdk::AccountCredentials& credentials,
                                                         sdk::AccountStatus status,
                                                         sdk::TimePoint updated_at) noexcept {
    return guarded("accounts.update_credentials", [&] {
        PostgresParams params;
        params.text(id);
        addSecret(params, credentials.access_token);
        addSecret(params, credentials.refresh_token);
        addSecret(params, credentials.id_token);
        params.integer(toMillis(credentials.access_expires_at))
            .integer(toMillis(credentials.last_refresh_at))
            .text(accountStatusText(status))
            .integer(toMillis(updated_at));
        // One statement, so readers never see new tokens with the old status or the reverse.
        const PostgresResult result = pool_.acquire()->exec(
            "UPDATE accounts SET access_token_key_version = $2, access_token = $3, "
            "refresh_token_key_version = $4, refresh_token = $5, id_token_key_version = $6, "
            "id_token = $7, access_expires_at = $8, last_refresh_at = $9, status = $10, "
            "status_reason = '', updated_at = $11 WHERE id = $1",
            params);
        return result.affected() == 0 ? notFound("account", id) : sdk::Status::success();
    });
}

sdk::Status PostgresAccountRepository::remove(std::string_view id) noexcept {
    return guarded("accounts.remove", [&] {
        const PostgresResult result =
            pool_.acquire()->exec("DELETE FROM accounts WHERE id = $1", PostgresParams().text(id));
        return result.affected() == 0 ? notFound("account", id) : sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_postgres
