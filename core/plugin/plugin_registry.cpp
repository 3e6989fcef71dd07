#include "core/plugin/plugin_registry.hpp"

#include <algorithm>
#include <set>

#include "core/plugin/plugin_error.hpp"

namespace sluice::core::plugin {

const char* factoryKindName(FactoryKind kind) noexcept {
    switch (kind) {
        case FactoryKind::RouteFamily:
            return "route family";
        case FactoryKind::RoutingStrategy:
            return "routing strategy";
        case FactoryKind::StorageBackend:
            return "storage backend";
        case FactoryKind::SharedState:
            return "shared state";
    }
    return "factory";
}

void CollectingRegistrar::addRouteFamily(std::unique_ptr<sdk::RouteFamilyFactory> factory) {
    route_families.push_back(std::move(factory));
}

void CollectingRegistrar::addRoutingStrategy(std::unique_ptr<sdk::RoutingStrategyFactory> factory) {
    strategies.push_back(std::move(factory));
}

void CollectingRegistrar::addStorageBackend(std::unique_ptr<sdk::StorageBackendFactory> factory) {
    storage_backends.push_back(std::move(factory));
}

void CollectingRegistrar::addSharedState(std::unique_ptr<sdk::SharedStateFactory> factory) {
    shared_states.push_back(std::move(factory));
}

namespace {

// Checks `offered` names against the registry and against each other.
template <class Map, class Factories>
void checkNames(const Map& existing, const Factories& offered, FactoryKind kind,
                const LibraryHandle& library) {
    std::set<std::string> seen;
    for (const auto& factory : offered) {
        const std::string name = factory->name();
        const auto it = existing.find(name);
        if (it != existing.end()) {
            throw PluginError("plugin " + library->path() + ": " + factoryKindName(kind) + " '" +
                              name + "' is already registered by " + it->second.library->path());
        }
        if (!seen.insert(name).second) {
            throw PluginError("plugin " + library->path() + ": " + factoryKindName(kind) + " '" +
                              name + "' is registered twice by the same plugin");
        }
    }
}

template <class Map, class Factories>
void insertAll(Map& existing, Factories& offered, const LibraryHandle& library) {
    for (auto& factory : offered) {
        std::string name = factory->name();
        existing.emplace(std::move(name), typename Map::mapped_type{library, std::move(factory)});
    }
}

template <class Map>
auto* lookup(const Map& map, const std::string& name) {
    const auto it = map.find(name);
    return it == map.end() ? nullptr : it->second.factory.get();
}

template <class Map>
const auto& entryOrThrow(const Map& map, const std::string& name, FactoryKind kind) {
    const auto it = map.find(name);
    if (it == map.end()) {
        throw PluginError(std::string("no ") + factoryKindName(kind) + " named '" + name + "'");
    }
    return it->second;
}

template <class Map>
void describeInto(const Map& map, FactoryKind kind, std::vector<FactoryInfo>& out) {
    for (const auto& [name, entry] : map) {
        out.push_back(FactoryInfo{kind, name, entry.factory->description(), entry.factory->schema(),
                                  entry.library->path(), entry.library->name()});
    }
}

}  // namespace

void PluginRegistry::accept(const LibraryHandle& library, CollectingRegistrar&& offered) {
    checkNames(route_families_, offered.route_families, FactoryKind::RouteFamily, library);
    checkNames(strategies_, offered.strategies, FactoryKind::RoutingStrategy, library);
    checkNames(storage_backends_, offered.storage_backends, FactoryKind::StorageBackend, library);
    checkNames(shared_states_, offered.shared_states, FactoryKind::SharedState, library);
    insertAll(route_families_, offered.route_families, library);
    insertAll(strategies_, offered.strategies, library);
    insertAll(storage_backends_, offered.storage_backends, library);
    insertAll(shared_states_, offered.shared_states, library);
    libraries_.push_back(library);
}

bool PluginRegistry::hasLibrary(const std::string& plugin_name) const {
    return std::any_of(libraries_.begin(), libraries_.end(),
                       [&](const LibraryHandle& lib) { return lib->name() == plugin_name; });
}

const sdk::RouteFamilyFactory* PluginRegistry::routeFamily(const std::string& name) const {
    return lookup(route_families_, name);
}

const sdk::RoutingStrategyFactory* PluginRegistry::strategy(const std::string& name) const {
    return lookup(strategies_, name);
}

const sdk::StorageBackendFactory* PluginRegistry::storageBackend(const std::string& name) const {
    return lookup(storage_backends_, name);
}

const sdk::SharedStateFactory* PluginRegistry::sharedState(const std::string& name) const {
    return lookup(shared_states_, name);
}

std::shared_ptr<sdk::RouteFamily> PluginRegistry::createRouteFamily(const std::string& name,
                                                                    const sdk::ConfigNode& config,
                                                                    sdk::HostServices& host) const {
    const auto& entry = entryOrThrow(route_families_, name, FactoryKind::RouteFamily);
    return keepLibraryAlive(entry.factory->create(config, host), entry.library);
}

std::shared_ptr<sdk::RoutingStrategy> PluginRegistry::createStrategy(
    const std::string& name, const sdk::ConfigNode& config, sdk::HostServices& host) const {
    const auto& entry = entryOrThrow(strategies_, name, FactoryKind::RoutingStrategy);
    return keepLibraryAlive(entry.factory->create(config, host), entry.library);
}

std::shared_ptr<sdk::StorageBackend> PluginRegistry::createStorage(const std::string& name,
                                                                   const sdk::ConfigNode& config,
                                                                   sdk::HostServices& host) const {
    const auto& entry = entryOrThrow(storage_backends_, name, FactoryKind::StorageBackend);
    return keepLibraryAlive(entry.factory->create(config, host), entry.library);
}

std::shared_ptr<sdk::SharedState> PluginRegistry::createSharedState(const std::string& name,
                                                                    const sdk::ConfigNode& config,
                                                                    sdk::HostServices& host) const {
    const auto& entry = entryOrThrow(shared_states_, name, FactoryKind::SharedState);
    return keepLibraryAlive(entry.factory->create(config, host), entry.library);
}

std::vector<std::string> PluginRegistry::names(FactoryKind kind) const {
    std::vector<std::string> out;
    auto collect = [&out](const auto& map) {
        for (const auto& entry : map) {
            out.push_back(entry.first);
        }
    };
    switch (kind) {
        case FactoryKind::RouteFamily:
            collect(route_families_);
            break;
        case FactoryKind::RoutingStrategy:
            collect(strategies_);
            break;
        case FactoryKind::StorageBackend:
            collect(storage_backends_);
            break;
        case FactoryKind::SharedState:
            collect(shared_states_);
            break;
    }
    return out;
}

std::vector<FactoryInfo> PluginRegistry::describe() const {
    std::vector<FactoryInfo> out;
    describeInto(route_families_, FactoryKind::RouteFamily, out);
    describeInto(strategies_, FactoryKind::RoutingStrategy, out);
    describeInto(storage_backends_, FactoryKind::StorageBackend, out);
    describeInto(shared_states_, FactoryKind::SharedState, out);
    return out;
}

}  // namespace sluice::core::plugin
