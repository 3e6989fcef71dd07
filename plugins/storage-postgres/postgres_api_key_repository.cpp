#include "postgres_api_key_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectKey =
    "SELECT prefix, hash, pool, name, status, policy_json, created_at, updated_at, last_used_at "
    "FROM api_keys";

sdk::ApiKeyRecord readKey(const PostgresResult& rows, int row) {
    sdk::ApiKeyRecord key;
    key.prefix = rows.text(row, 0);
    key.hash = rows.text(row, 1);
    key.pool = rows.text(row, 2);
    key.name = rows.text(row, 3);
    key.status = parseCredentialStatus(rows.text(row, 4));
    key.policy_json = rows.text(row, 5);
    key.created_at = fromMillis(rows.integer(row, 6));
    key.updated_at = fromMillis(rows.integer(row, 7));
    key.last_used_at = fromMillis(rows.integer(row, 8));
    return key;
}

/// "UPDATE api_keys SET <assignments> WHERE prefix = $1"; `params` start with the prefix.
sdk::Status updateKey(PostgresPool& pool, const char* operation, const char* assignments,
                      std::string_view prefix, const PostgresParams& params) noexcept {
    return guarded(operation, [&] {
        const PostgresResult result = pool.acquire()->exec(
            std::string("UPDATE api_keys SET ") + assignments + " WHERE prefix = $1", params);
        return result.affected() == 0 ? notFound("api key", prefix) : sdk::Status::success();
    });
}

}  // namespace

sdk::Status PostgresApiKeyRepository::create(const sdk::ApiKeyRecord& key) noexcept {
    return guarded("api_keys.create", [&] {
        pool_.acquire()->exec(
            "INSERT INTO api_keys (prefix, hash, pool, name, status, policy_json, created_at, "
            "updated_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            PostgresParams()
                .text(key.prefix)
                .text(key.hash)
                .text(key.pool)
                .text(key.name)
                .text(credentialStatusText(key.status))
                .text(key.policy_json)
                .integer(toMillis(key.created_at))
                .integer(toMillis(key.updated_at))
                .integer(toMillis(key.last_used_at)));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::ApiKeyRecord> PostgresApiKeyRepository::findByPrefix(
    std::string_view prefix) noexcept {
    return guarded("api_keys.find", [&]() -> sdk::Result<sdk::ApiKeyRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string(kSelectKey) + " WHERE prefix = $1", PostgresParams().text(prefix));
        if (rows.rows() == 0) {
            return notFound("api key", prefix);
        }
        return readKey(rows, 0);
    });
}

sdk::Result<std::vector<sdk::ApiKeyRecord>> PostgresApiKeyRepository::list(
    std::optional<std::string_view> pool) noexcept {
    return guarded("api_keys.list", [&]() -> sdk::Result<std::vector<sdk::ApiKeyRecord>> {
        const PostgresResult rows =
            pool ? pool_.acquire()->exec(
                       std::string(kSelectKey) + " WHERE pool = $1 ORDER BY created_at, seq",
                       PostgresParams().text(*pool))
                 : pool_.acquire()->exec(std::string(kSelectKey) + " ORDER BY created_at, seq");
        std::vector<sdk::ApiKeyRecord> keys;
        for (int row = 0; row < rows.rows(); ++row) {
            keys.push_back(readKey(rows, row));
        }
        return keys;
    });
}

sdk::Status PostgresApiKeyRepository::setStatus(std::string_view prefix,
                                                sdk::CredentialStatus status,
                                                sdk::TimePoint updated_at) noexcept {
    return updateKey(pool_, "api_keys.set_status", "status = $2, updated_at = $3", prefix,
                     PostgresParams()
                         .text(prefix)
                         .text(credentialStatusText(status))
                         .integer(toMillis(updated_at)));
}

sdk::Status PostgresApiKeyRepository::setPolicy(std::string_view prefix,
                                                std::string_view policy_json,
                                                sdk::TimePoint updated_at) noexcept {
    return updateKey(pool_, "api_keys.set_policy", "policy_json = $2, updated_at = $3", prefix,
                     PostgresParams().text(prefix).text(policy_json).integer(toMillis(updated_at)));
}

sdk::Status PostgresApiKeyRepository::setHash(std::string_view prefix, std::string_view hash,
                                              sdk::TimePoint updated_at) noexcept {
    return updateKey(pool_, "api_keys.set_hash", "hash = $2, updated_at = $3", prefix,
                     PostgresParams().text(prefix).text(hash).integer(toMillis(updated_at)));
}

sdk::Status PostgresApiKeyRepository::touch(std::string_view prefix,
                                            sdk::TimePoint used_at) noexcept {
    // GREATEST is evaluated on the row as it stands when the update gets its lock, so
    // concurrent touches from any replica keep the latest time.
    return updateKey(pool_, "api_keys.touch", "last_used_at = GREATEST(last_used_at, $2)", prefix,
                     PostgresParams().text(prefix).integer(toMillis(used_at)));
}

}  // namespace sluice::plugins::storage_postgres
