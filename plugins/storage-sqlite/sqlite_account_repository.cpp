#include "sqlite_account_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectAccount =
    "SELECT id, pool, label, chatgpt_account_id, plan_type, status, status_reason, "
    "access_token_key_version, access_token, refresh_token_key_version, refresh_token, "
    "id_token_key_version, id_token, access_expires_at, last_refresh_at, weight, priority, "
    "created_at, updated_at, chatgpt_user_id, labels FROM accounts";

sdk::AccountRecord readAccount(const SqliteStatement& row) {
    sdk::AccountRecord account;
    account.id = row.columnText(0);
    account.pool = row.columnText(1);
    account.label = row.columnText(2);
    account.chatgpt_account_id = row.columnText(3);
    account.plan_type = row.columnText(4);
    account.status = parseAccountStatus(row.columnText(5));
    account.status_reason = row.columnText(6);
    account.access_token = readSecret(row, 7);
    account.refresh_token = readSecret(row, 9);
    account.id_token = readSecret(row, 11);
    account.access_expires_at = fromMillis(row.columnInt(13));
    account.last_refresh_at = fromMillis(row.columnInt(14));
    account.weight = static_cast<std::uint32_t>(row.columnInt(15));
    account.priority = static_cast<std::int32_t>(row.columnInt(16));
    account.created_at = fromMillis(row.columnInt(17));
    account.updated_at = fromMillis(row.columnInt(18));
    account.chatgpt_user_id = row.columnText(19);
    account.labels = parseLabels(row.columnText(20));
    return account;
}

}  // namespace

sdk::Status SqliteAccountRepository::create(const sdk::AccountRecord& account) noexcept {
    return guarded("accounts.create", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO accounts (id, pool, label, chatgpt_account_id, plan_type, status, "
            "status_reason, access_token_key_version, access_token, refresh_token_key_version, "
            "refresh_token, id_token_key_version, id_token, access_expires_at, last_refresh_at, "
            "weight, priority, created_at, updated_at, chatgpt_user_id, labels) VALUES (?1, ?2, "
            "?3, "
            "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
        insert.bindText(1, account.id)
            .bindText(2, account.pool)
            .bindText(3, account.label)
            .bindText(4, account.chatgpt_account_id)
            .bindText(5, account.plan_type)
            .bindText(6, accountStatusText(account.status))
            .bindText(7, account.status_reason);
        bindSecret(insert, 8, account.access_token);
        bindSecret(insert, 10, account.refresh_token);
        bindSecret(insert, 12, account.id_token);
        insert.bindInt(14, toMillis(account.access_expires_at))
            .bindInt(15, toMillis(account.last_refresh_at))
            .bindInt(16, account.weight)
            .bindInt(17, account.priority)
            .bindInt(18, toMillis(account.created_at))
            .bindInt(19, toMillis(account.updated_at))
            .bindText(20, account.chatgpt_user_id)
            .bindText(21, labelsText(account.labels));
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Status SqliteAccountRepository::update(const sdk::AccountRecord& account) noexcept {
    return guarded("accounts.update", [&] {
        auto lock = connection_.lock();
        SqliteStatement update = connection_.prepare(
            "UPDATE accounts SET pool = ?2, label = ?3, plan_type = ?4, weight = ?5, priority = "
            "?6, "
            "labels = ?7, updated_at = ?8 WHERE id = ?1");
        update.bindText(1, account.id)
            .bindText(2, account.pool)
            .bindText(3, account.label)
            .bindText(4, account.plan_type)
            .bindInt(5, account.weight)
            .bindInt(6, account.priority)
            .bindText(7, labelsText(account.labels))
            .bindInt(8, toMillis(account.updated_at));
        update.run();
        return connection_.changes() == 0 ? notFound("account", account.id)
                                          : sdk::Status::success();
    });
}

sdk::Result<sdk::AccountRecord> SqliteAccountRepository::get(std::string_view id) noexcept {
    return guarded("accounts.get", [&]() -> sdk::Result<sdk::AccountRecord> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare(std::string(kSelectAccount) + " WHERE id = ?1");
        select.bindText(1, id);
        if (!select.step()) {
            return notFound("account", id);
        }
        return readAccount(select);
    });
}

sdk::Result<std::vector<sdk::AccountRecord>> SqliteAccountRepository::list(
    std::optional<std::string_view> pool) noexcept {
    return guarded("accounts.list", [&]() -> sdk::Result<std::vector<sdk::AccountRecord>> {
        auto lock = connection_.lock();
        // rowid breaks ties between accounts created within the same millisecond.
        SqliteStatement select = connection_.prepare(
            std::string(kSelectAccount) +
            (pool ? " WHERE pool = ?1 ORDER BY created_at, rowid" : " ORDER BY created_at, rowid"));
        if (pool) {
            select.bindText(1, *pool);
        }
        std::vector<sdk::AccountRecord> accounts;
        while (select.step()) {
            accounts.push_back(readAccount(select));
        }
        return accounts;
    });
}

sdk::Status SqliteAccountRepository::updateStatus(std::string_view id, sdk::AccountStatus status,
                                                  std::string_view reason,
                                                  sdk::TimePoint updated_at) noexcept {
    return guarded("accounts.update_status", [&] {
        auto lock = connection_.lock();
        SqliteStatement update = connection_.prepare(
            "UPDATE accounts SET status = ?2, status_reason = ?3, updated_at = ?4 WHERE id = ?1");
        update.bindText(1, id)
            .bindText(2, accountStatusText(status))
            .bindText(3, reason)
            .bindInt(4, toMillis(updated_at));
        update.run();
        return connection_.changes() == 0 ? notFound("account", id) : sdk::Status::success();
    });
}

sdk::Status SqliteAccountRepository::updateCredentials(std::string_view id,
                                                       const sdk::AccountCredentials& credentials,
                                                       sdk::AccountStatus status,
                                                       sdk::TimePoint updated_at) noexcept {
    return guarded("accounts.update_credentials", [&] {
        auto lock = connection_.lock();
        // One statement, so readers never see new tokens with the old status or the reverse.
        SqliteStatement update = connection_.prepare(
            "UPDATE accounts SET access_token_key_version = ?2, access_token = ?3, "
            "refresh_token_key_version = ?4, refresh_token = ?5, id_token_key_version = ?6, "
            "id_token = ?7, access_expires_at = ?8, last_refresh_at = ?9, status = ?10, "
            "status_reason = '', updated_at = ?11 WHERE id = ?1");
        update.bindText(1, id);
        bindSecret(update, 2, credentials.access_token);
        bindSecret(update, 4, credentials.refresh_token);
        bindSecret(update, 6, credentials.id_token);
        update.bindInt(8, toMillis(credentials.access_expires_at))
            .bindInt(9, toMillis(credentials.last_refresh_at))
            .bindText(10, accountStatusText(status))
            .bindInt(11, toMillis(updated_at));
        update.run();
        return connection_.changes() == 0 ? notFound("account", id) : sdk::Status::success();
    });
}

sdk::Status SqliteAccountRepository::remove(std::string_view id) noexcept {
    return guarded("accounts.remove", [&] {
        auto lock = connection_.lock();
        SqliteStatement remove = connection_.prepare("DELETE FROM accounts WHERE id = ?1");
        remove.bindText(1, id);
        remove.run();
        return connection_.changes() == 0 ? notFound("account", id) : sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_sqlite
