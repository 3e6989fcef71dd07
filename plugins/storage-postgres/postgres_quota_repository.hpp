#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Latest quota evidence per (account, window) in `quota_snapshots`. Thread-safe; borrows the
/// backend's pool.
class PostgresQuotaRepository final : public sdk::QuotaRepository {
public:
    explicit PostgresQuotaRepository(PostgresPool& pool) : pool_(pool) {}

    /// Skips snapshots of accounts that do not exist; one transaction.
    sdk::Status upsert(const std::vector<sdk::QuotaSnapshotRecord>& snapshots) noexcept override;
    sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> list(
        std::optional<std::string_view> account_id) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
