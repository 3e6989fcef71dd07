#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/plugin/loaded_library.hpp"
#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::core::plugin {

enum class FactoryKind { RouteFamily, RoutingStrategy, StorageBackend, SharedState };

const char* factoryKindName(FactoryKind kind) noexcept;

/// Read-only description of one registered factory, for `sluice plugins list|describe`.
struct FactoryInfo {
    FactoryKind kind;
    std::string name;
    std::string description;
    sdk::ConfigSchema schema;
    std::string library_path;
    std::string plugin_name;
};

/// Factories a plugin offered during registration, before the registry accepts them.
class CollectingRegistrar final : public sdk::RegistrarV2 {
public:
    void addRouteFamily(std::unique_ptr<sdk::RouteFamilyFactory> factory) override;
    void addRoutingStrategy(std::unique_ptr<sdk::RoutingStrategyFactory> factory) override;
    void addStorageBackend(std::unique_ptr<sdk::StorageBackendFactory> factory) override;
    void addSharedState(std::unique_ptr<sdk::SharedStateFactory> factory) override;

    std::vector<std::unique_ptr<sdk::RouteFamilyFactory>> route_families;
    std::vector<std::unique_ptr<sdk::RoutingStrategyFactory>> strategies;
    std::vector<std::unique_ptr<sdk::StorageBackendFactory>> storage_backends;
    std::vector<std::unique_ptr<sdk::SharedStateFactory>> shared_states;
};

/// Every factory of every loaded plugin, by kind and name. Filled on the main thread at
/// startup; read-only afterwards. Objects it creates keep their library alive.
class PluginRegistry final {
public:
    /// Accepts a library's factories, or throws PluginError naming both files when a name is
    /// already taken (nothing of the library is accepted then).
    void accept(const LibraryHandle& library, CollectingRegistrar&& offered);

    bool hasLibrary(const std::string& plugin_name) const;

    const sdk::RouteFamilyFactory* routeFamily(const std::string& name) const;
    const sdk::RoutingStrategyFactory* strategy(const std::string& name) const;
    const sdk::StorageBackendFactory* storageBackend(const std::string& name) const;
    const sdk::SharedStateFactory* sharedState(const std::string& name) const;

    std::shared_ptr<sdk::RouteFamily> createRouteFamily(const std::string& name,
                                                        const sdk::ConfigNode& config,
                                                        sdk::HostServices& host) const;
    std::shared_ptr<sdk::RoutingStrategy> createStrategy(const std::string& name,
                                                         const sdk::ConfigNode& config,
                                                         sdk::HostServices& host) const;
    std::shared_ptr<sdk::StorageBackend> createStorage(const std::string& name,
                                                       const sdk::ConfigNode& config,
                                                       sdk::HostServices& host) const;
    std::shared_ptr<sdk::SharedState> createSharedState(const std::string& name,
                                                        const sdk::ConfigNode& config,
                                                        sdk::HostServices& host) const;

    /// Names of one kind, sorted.
    std::vector<std::string> names(FactoryKind kind) const;
    std::vector<FactoryInfo> describe() const;

private:
    // `library` comes first so it is destroyed last: the factory's destructor is plugin code.
    template <class Factory>
    struct Entry {
        LibraryHandle library;
        std::unique_ptr<Factory> factory;
    };

    std::map<std::string, Entry<sdk::RouteFamilyFactory>> route_families_;
    std::map<std::string, Entry<sdk::RoutingStrategyFactory>> strategies_;
    std::map<std::string, Entry<sdk::StorageBackendFactory>> storage_backends_;
    std::map<std::string, Entry<sdk::SharedStateFactory>> shared_states_;
    std::vector<LibraryHandle> libraries_;
};

}  // namespace sluice::core::plugin
