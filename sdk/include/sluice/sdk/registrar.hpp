#pragma once

#include <memory>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/route_family.hpp"
#include "sluice/sdk/routing_strategy.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::sdk {

/// Handed to a plugin's registration function, once, on the host's main thread. The host owns
/// the registered factories and keeps the plugin's library loaded for as long as any of them,
/// or anything they create, is alive. Names must be unique across all loaded plugins.
class SLUICE_SDK_API Registrar {
public:
    virtual ~Registrar() = default;

    virtual void addRouteFamily(std::unique_ptr<RouteFamilyFactory> factory) = 0;
    virtual void addRoutingStrategy(std::unique_ptr<RoutingStrategyFactory> factory) = 0;
    virtual void addStorageBackend(std::unique_ptr<StorageBackendFactory> factory) = 0;
};

}  // namespace sluice::sdk
