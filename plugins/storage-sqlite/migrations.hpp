#pragma once

#include <cstdint>
#include <span>

#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/status.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// One step of the schema. Versions start at 1 and grow by one; a released step never changes.
struct Migration {
    std::int64_t version;
    const char* name;
    const char* sql;
};

/// Every migration this build knows, oldest first.
std::span<const Migration> migrations() noexcept;

/// Applies the migrations newer than the database's version, each in its own transaction and
/// recorded in `schema_migrations`; a no-op when up to date. Returns how many were applied, or
/// FailedPrecondition for a database written by a newer build. The caller holds the
/// connection's lock; `clock` stamps `applied_at`. Throws SqliteError.
sdk::Result<int> applyMigrations(SqliteConnection& connection, const sdk::Clock& clock);

}  // namespace sluice::plugins::storage_sqlite
