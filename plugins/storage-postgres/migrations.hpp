#pragma once

#include <cstdint>
#include <span>

#include "postgres_connection.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/status.hpp"

namespace sluice::plugins::storage_postgres {

/// One step of the schema. Versions start at 1 and grow by one; a released step never changes.
struct Migration {
    std::int64_t version;
    const char* name;
    const char* sql;
};

/// Every migration this build knows, oldest first.
std::span<const Migration> migrations() noexcept;

/// The advisory lock key every Sluice gateway takes while migrating one database.
inline constexpr std::int64_t kMigrationLockKey = 0x736c7569636530;  // "sluice0"

/// Applies the migrations newer than the database's version, each in its own transaction and
/// recorded in `schema_migrations`, all under a session advisory lock so that gateways starting
/// together migrate once: the others wait, then find nothing left to do. Returns how many this
/// call applied, or FailedPrecondition for a database written by a newer build. `clock` stamps
/// `applied_at`. Throws PostgresError.
sdk::Result<int> applyMigrations(PostgresConnection& connection, const sdk::Clock& clock);

}  // namespace sluice::plugins::storage_postgres
