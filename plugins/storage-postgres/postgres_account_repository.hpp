#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Upstream accounts in the `accounts` table; credentials stay encrypted. Thread-safe; borrows the
/// backend's pool.
class PostgresAccountRepository final : public sdk::AccountRepository {
public:
    explicit PostgresAccountRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status create(const sdk::AccountRecord& account) noexcept override;
    sdk::Status update(const sdk::AccountRecord& account) noexcept override;
    sdk::Result<sdk::AccountRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::AccountRecord>> list(
        std::optional<std::string_view> pool) noexcept override;
    sdk::Status updateStatus(std::string_view id, sdk::AccountStatus status,
                             std::string_view reason, sdk::TimePoint updated_at) noexcept override;
    sdk::Status updateCredentials(std::string_view id, const sdk::AccountCredentials& credentials,
                                  sdk::AccountStatus status,
                                  sdk::TimePoint updated_at) noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
