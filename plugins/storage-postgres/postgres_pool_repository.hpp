#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Pools in the `pools` table. Thread-safe; borrows the backend's pool.
class PostgresPoolRepository final : public sdk::PoolRepository {
public:
    explicit PostgresPoolRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status create(const sdk::PoolRecord& pool) noexcept override;
    /// Replaces everything but the name and created_at.
    sdk::Status update(const sdk::PoolRecord& pool) noexcept override;
    sdk::Status remove(std::string_view name) noexcept override;
    sdk::Result<sdk::PoolRecord> get(std::string_view name) noexcept override;
    sdk::Result<std::vector<sdk::PoolRecord>> list() noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
