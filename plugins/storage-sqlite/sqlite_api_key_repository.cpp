#include "sqlite_api_key_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectKey =
    "SELECT prefix, hash, pool, name, status, policy_json, created_at, updated_at, last_used_at "
    "FROM api_keys";

sdk::ApiKeyRecord readKey(const SqliteStatement& row) {
    sdk::ApiKeyRecord key;
    key.prefix = row.columnText(0);
    key.hash = row.columnText(1);
    key.pool = row.columnText(2);
    key.name = row.columnText(3);
    key.status = parseCredentialStatus(row.columnText(4));
    key.policy_json = row.columnText(5);
    key.created_at = fromMillis(row.columnInt(6));
    key.updated_at = fromMillis(row.columnInt(7));
    key.last_used_at = fromMillis(row.columnInt(8));
    return key;
}

}  // namespace

template <class Bind>
sdk::Status SqliteApiKeyRepository::updateOne(const char* operation, const char* assignments,
                                              std::string_view prefix, Bind&& bind) noexcept {
    return guarded(operation, [&] {
        auto lock = connection_.lock();
        SqliteStatement update = connection_.prepare(std::string("UPDATE api_keys SET ") +
                                                     assignments + " WHERE prefix = ?1");
        update.bindText(1, prefix);
        bind(update);
        update.run();
        return connection_.changes() == 0 ? notFound("api key", prefix) : sdk::Status::success();
    });
}

sdk::Status SqliteApiKeyRepository::create(const sdk::ApiKeyRecord& key) noexcept {
    return guarded("api_keys.create", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO api_keys (prefix, hash, pool, name, status, policy_json, created_at, "
            "updated_at, last_used_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
        insert.bindText(1, key.prefix)
            .bindText(2, key.hash)
            .bindText(3, key.pool)
            .bindText(4, key.name)
            .bindText(5, credentialStatusText(key.status))
            .bindText(6, key.policy_json)
            .bindInt(7, toMillis(key.created_at))
            .bindInt(8, toMillis(key.updated_at))
            .bindInt(9, toMillis(key.last_used_at));
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::ApiKeyRecord> SqliteApiKeyRepository::findByPrefix(
    std::string_view prefix) noexcept {
    return guarded("api_keys.find", [&]() -> sdk::Result<sdk::ApiKeyRecord> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare(std::string(kSelectKey) + " WHERE prefix = ?1");
        select.bindText(1, prefix);
        if (!select.step()) {
            return notFound("api key", prefix);
        }
        return readKey(select);
    });
}

sdk::Result<std::vector<sdk::ApiKeyRecord>> SqliteApiKeyRepository::list(
    std::optional<std::string_view> pool) noexcept {
    return guarded("api_keys.list", [&]() -> sdk::Result<std::vector<sdk::ApiKeyRecord>> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(
            std::string(kSelectKey) +
            (pool ? " WHERE pool = ?1 ORDER BY created_at, rowid" : " ORDER BY created_at, rowid"));
        if (pool) {
            select.bindText(1, *pool);
        }
        std::vector<sdk::ApiKeyRecord> keys;
        while (select.step()) {
            keys.push_back(readKey(select));
        }
        return keys;
    });
}

sdk::Status SqliteApiKeyRepository::setStatus(std::string_view prefix, sdk::CredentialStatus status,
                                              sdk::TimePoint updated_at) noexcept {
    return updateOne(
        "api_keys.set_status", "status = ?2, updated_at = ?3", prefix,
        [&](SqliteStatement& update) {
            update.bindText(2, credentialStatusText(status)).bindInt(3, toMillis(updated_at));
        });
}

sdk::Status SqliteApiKeyRepository::setPolicy(std::string_view prefix, std::string_view policy_json,
                                              sdk::TimePoint updated_at) noexcept {
    return updateOne("api_keys.set_policy", "policy_json = ?2, updated_at = ?3", prefix,
                     [&](SqliteStatement& update) {
                         update.bindText(2, policy_json).bindInt(3, toMillis(updated_at));
                     });
}

sdk::Status SqliteApiKeyRepository::setHash(std::string_view prefix, std::string_view hash,
                                            sdk::TimePoint updated_at) noexcept {
    return updateOne("api_keys.set_hash", "hash = ?2, updated_at = ?3", prefix,
                     [&](SqliteStatement& update) {
                         update.bindText(2, hash).bindInt(3, toMillis(updated_at));
                     });
}

sdk::Status SqliteApiKeyRepository::touch(std::string_view prefix,
                                          sdk::TimePoint used_at) noexcept {
    return updateOne("api_keys.touch", "last_used_at = MAX(last_used_at, ?2)", prefix,
                     [&](SqliteStatement& update) { update.bindInt(2, toMillis(used_at)); });
}

}  // namespace sluice::plugins::storage_sqlite
