#pragma once

#include "sluice/sdk/storage_projects.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Managed coding projects in the `projects` table. Thread-safe (the connection's lock).
class SqliteProjectRepository final : public sdk::ProjectRepository {
public:
    explicit SqliteProjectRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status create(const sdk::ProjectRecord& project) noexcept override;
    sdk::Status update(const sdk::ProjectRecord& project) noexcept override;
    sdk::Result<sdk::ProjectRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::ProjectRecord>> list(std::string_view owner_key) noexcept override;
    sdk::Result<std::vector<sdk::ProjectRecord>> listAll() noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
