#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Pool API keys (prefix and hash only) in the `api_keys` table. Thread-safe; borrows the backend's
/// pool.
class PostgresApiKeyRepository final : public sdk::ApiKeyRepository {
public:
    explicit PostgresApiKeyRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status create(const sdk::ApiKeyRecord& key) noexcept override;
    sdk::Result<sdk::ApiKeyRecord> findByPrefix(std::string_view prefix) noexcept override;
    sdk::Result<std::vector<sdk::ApiKeyRecord>> list(
        std::optional<std::string_view> pool) noexcept override;
    sdk::Status setStatus(std::string_view prefix, sdk::CredentialStatus status,
                          sdk::TimePoint updated_at) noexcept override;
    sdk::Status setPolicy(std::string_view prefix, std::string_view policy_json,
                          sdk::TimePoint updated_at) noexcept override;
    sdk::Status setHash(std::string_view prefix, std::string_view hash,
                        sdk::TimePoint updated_at) noexcept override;
    /// Never moves last_used_at backwards, even under concurrent touches.
    sdk::Status touch(std::string_view prefix, sdk::TimePoint used_at) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
