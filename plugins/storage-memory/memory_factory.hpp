#pragma once

#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_memory {

/// Creates the `memory` storage backend. Stateless; called on the host's main thread.
class MemoryBackendFactory final : public sdk::StorageBackendFactory {
public:
    std::string name() const override { return "memory"; }
    std::string description() const override;
    /// No keys: there is nothing to configure.
    sdk::ConfigSchema schema() const override { return {}; }
    sdk::StorageBackendPtr create(const sdk::ConfigNode& config,
                                  sdk::HostServices& host) const override;
};

/// The plugin's registration function (see memory_plugin.cpp); also the builtin entry point.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::storage_memory
