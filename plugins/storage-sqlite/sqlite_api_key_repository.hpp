#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Pool API keys (prefix + hash) in the `api_keys` table. Thread-safe; borrows the connection.
class SqliteApiKeyRepository final : public sdk::ApiKeyRepository {
public:
    explicit SqliteApiKeyRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status create(const sdk::ApiKeyRecord& key) noexcept override;
    sdk::Result<sdk::ApiKeyRecord> findByPrefix(std::string_view prefix) noexcept override;
    /// Ordered by creation time.
    sdk::Result<std::vector<sdk::ApiKeyRecord>> list(
        std::optional<std::string_view> pool) noexcept override;
    sdk::Status setStatus(std::string_view prefix, sdk::CredentialStatus status,
                          sdk::TimePoint updated_at) noexcept override;
    sdk::Status setPolicy(std::string_view prefix, std::string_view policy_json,
                          sdk::TimePoint updated_at) noexcept override;
    sdk::Status setHash(std::string_view prefix, std::string_view hash,
                        sdk::TimePoint updated_at) noexcept override;
    /// Never moves last_used_at backwards: write-behind batches may arrive out of order.
    sdk::Status touch(std::string_view prefix, sdk::TimePoint used_at) noexcept override;

private:
    /// Runs `UPDATE api_keys SET <assignments> WHERE prefix = ?1` with ?2 and ?3 bound.
    template <class Bind>
    sdk::Status updateOne(const char* operation, const char* assignments, std::string_view prefix,
                          Bind&& bind) noexcept;

    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
