#include "postgres_backend.hpp"

#include <string>

#include "migrations.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

PostgresBackend::PostgresBackend(const PostgresConfig& config, sdk::HostServices& host)
    : host_(host),
      logger_(host.logger("storage-postgres")),
      pool_(connectionParameters(config), config.pool_size, config.acquire_timeout) {
    // The server's address only: the URI and password are secrets.
    logger_.info("storage_opened",
                 {{"server", pool_.describe()}, {"pool_size", std::to_string(config.pool_size)}});
}

sdk::Status PostgresBackend::migrate() noexcept {
    return guarded("migrate", [&] {
        auto connection = pool_.acquire();
        const sdk::Result<int> applied = applyMigrations(*connection, host_.clock());
        if (!applied.ok()) {
            return sdk::Status(applied.status().code(), "migrate: " + applied.status().message());
        }
        if (applied.value() > 0) {
            const std::string count = std::to_string(applied.value());
            const std::string version = std::to_string(migrations().back().version);
            logger_.info("storage_migrated", {{"applied", count}, {"version", version}});
        }
        return sdk::Status::success();
    });
}

sdk::Status PostgresBackend::ping() noexcept {
    return guarded("ping", [&] {
        pool_.acquire()->exec("SELECT 1");
        return sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_postgres
