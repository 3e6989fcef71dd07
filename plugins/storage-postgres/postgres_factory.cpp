#include "postgres_factory.hpp"

#include <memory>

#include "postgres_backend.hpp"
#include "postgres_config.hpp"
#include "postgres_error.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::storage_postgres {

std::string PostgresBackendFactory::description() const {
    return "PostgreSQL database (libpq, pooled connections): records shared by several gateways";
}

sdk::ConfigSchema PostgresBackendFactory::schema() const {
    return postgresConfigSchema();
}

sdk::StorageBackendPtr PostgresBackendFactory::create(const sdk::ConfigNode& config,
                                                      sdk::HostServices& host) const {
    const PostgresConfig parsed = parsePostgresConfig(config);
    try {
        return std::make_unique<PostgresBackend>(parsed, host);
    } catch (const PostgresError& error) {
        throw sdk::ConfigError(sdk::config::child(config, "uri").path(), error.what());
    }
}

void registerFactories(sdk::Registrar& registrar) {
    registrar.addStorageBackend(std::make_unique<PostgresBackendFactory>());
}

}  // namespace sluice::plugins::storage_postgres
