#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Pools in the `pools` table. Thread-safe; borrows the backend's connection.
class SqlitePoolRepository final : public sdk::PoolRepository {
public:
    explicit SqlitePoolRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status create(const sdk::PoolRecord& pool) noexcept override;
    /// Replaces everything but the name and created_at.
    sdk::Status update(const sdk::PoolRecord& pool) noexcept override;
    sdk::Status remove(std::string_view name) noexcept override;
    sdk::Result<sdk::PoolRecord> get(std::string_view name) noexcept override;
    sdk::Result<std::vector<sdk::PoolRecord>> list() noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
