#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// The latest quota evidence per (account, window) in `quota_snapshots`. Thread-safe; borrows
/// the backend's connection.
class SqliteQuotaRepository final : public sdk::QuotaRepository {
public:
    explicit SqliteQuotaRepository(SqliteConnection& connection) : connection_(connection) {}

    /// One transaction per batch. Snapshots of accounts that no longer exist are skipped: the
    /// evidence may be settled just after an operator removed the account.
    sdk::Status upsert(const std::vector<sdk::QuotaSnapshotRecord>& snapshots) noexcept override;
    /// Ordered by account id, then window.
    sdk::Result<std::vector<sdk::QuotaSnapshotRecord>> list(
        std::optional<std::string_view> account_id) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
