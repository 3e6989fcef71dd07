#pragma once

#include <string>

#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Creates `postgres` backends. Stateless; any thread.
class PostgresBackendFactory final : public sdk::StorageBackendFactory {
public:
    std::string name() const override { return "postgres"; }
    std::string description() const override;
    sdk::ConfigSchema schema() const override;
    /// Parses the config and connects once; throws sdk::ConfigError naming storage.config.uri
    /// when the server cannot be reached with it.
    sdk::StorageBackendPtr create(const sdk::ConfigNode& config,
                                  sdk::HostServices& host) const override;
};

/// Registers every factory of the plugin (the .so entry point and the builtin twin).
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::storage_postgres
