#include "memory_factory.hpp"

#include <memory>

#include "memory_backend.hpp"

namespace sluice::plugins::storage_memory {

std::string MemoryBackendFactory::description() const {
    return "In-process maps, lost at exit: for tests and ephemeral runs";
}

sdk::StorageBackendPtr MemoryBackendFactory::create(const sdk::ConfigNode& /*config*/,
                                                    sdk::HostServices& host) const {
    host.logger("storage-memory").info("storage_opened", {{"durable", "false"}});
    return std::make_unique<MemoryBackend>();
}

void registerFactories(sdk::Registrar& registrar) {
    registrar.addStorageBackend(std::make_unique<MemoryBackendFactory>());
}

}  // namespace sluice::plugins::storage_memory
