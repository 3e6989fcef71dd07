#include "sqlite_factory.hpp"

#include <filesystem>
#include <memory>
#include <system_error>

#include "sluice/sdk/config_values.hpp"
#include "sqlite_backend.hpp"
#include "sqlite_config.hpp"
#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

std::string SqliteBackendFactory::description() const {
    return "Embedded SQLite file (WAL): the default for a single gateway instance";
}

sdk::ConfigSchema SqliteBackendFactory::schema() const {
    return sqliteConfigSchema();
}

sdk::StorageBackendPtr SqliteBackendFactory::create(const sdk::ConfigNode& config,
                                                    sdk::HostServices& host) const {
    const SqliteConfig parsed = parseSqliteConfig(config);
    const std::string& where = sdk::config::child(config, "path").path();

    const std::filesystem::path parent = std::filesystem::path(parsed.path).parent_path();
    if (!parent.empty()) {
        std::error_code error;
        std::filesystem::create_directories(parent, error);
        if (error) {
            throw sdk::ConfigError(
                where, "cannot create directory '" + parent.string() + "': " + error.message());
        }
    }
    try {
        return std::make_unique<SqliteBackend>(parsed, host);
    } catch (const SqliteError& error) {
        throw sdk::ConfigError(where, error.what());
    }
}

void registerFactories(sdk::Registrar& registrar) {
    registrar.addStorageBackend(std::make_unique<SqliteBackendFactory>());
}

}  // namespace sluice::plugins::storage_sqlite
