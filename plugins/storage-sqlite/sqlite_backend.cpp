#include "sqlite_backend.hpp"

#include <string>

#include "migrations.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

SqliteBackend::SqliteBackend(const SqliteConfig& config, sdk::HostServices& host)
    : host_(host), logger_(host.logger("storage-sqlite")), connection_(config) {
    logger_.info("storage_opened", {{"path", config.path},
                                    {"journal_mode", "wal"},
                                    {"synchronous", syncModeName(config.synchronous)}});
}

sdk::Status SqliteBackend::migrate() noexcept {
    return guarded("migrate", [&] {
        auto lock = connection_.lock();
        const sdk::Result<int> applied = applyMigrations(connection_, host_.clock());
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

sdk::Status SqliteBackend::ping() noexcept {
    return guarded("ping", [&] {
        auto lock = connection_.lock();
        connection_.queryText("SELECT 1");
        return sdk::Status::success();
    });
}

}  // namespace sluice::plugins::storage_sqlite
