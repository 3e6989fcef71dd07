#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_projects.hpp"

namespace sluice::plugins::storage_postgres {

/// Managed coding projects in the `projects` table. Thread-safe; borrows the backend's pool.
class PostgresProjectRepository final : public sdk::ProjectRepository {
public:
    explicit PostgresProjectRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status create(const sdk::ProjectRecord& project) noexcept override;
    sdk::Status update(const sdk::ProjectRecord& project) noexcept override;
    sdk::Result<sdk::ProjectRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::ProjectRecord>> list(std::string_view owner_key) noexcept override;
    sdk::Result<std::vector<sdk::ProjectRecord>> listAll() noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
