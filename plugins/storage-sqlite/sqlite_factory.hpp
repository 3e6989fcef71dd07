#pragma once

#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_sqlite {

/// Creates the `sqlite` storage backend. Stateless; called on the host's main thread.
class SqliteBackendFactory final : public sdk::StorageBackendFactory {
public:
    std::string name() const override { return "sqlite"; }
    std::string description() const override;
    sdk::ConfigSchema schema() const override;
    /// Creates the file's parent directory when missing and opens the database; throws
    /// sdk::ConfigError naming `path` when it cannot.
    sdk::StorageBackendPtr create(const sdk::ConfigNode& config,
                                  sdk::HostServices& host) const override;
};

/// The plugin's registration function (see sqlite_plugin.cpp); also the builtin entry point.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::storage_sqlite
