#pragma once

#include "backend_config.hpp"
#include "owner_map.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/logger.hpp"

namespace sluice::plugins::route_backend {

/// What every /backend-api handler shares, owned by BackendFamily and valid for its lifetime.
/// The members are thread-safe, so handlers use them from any request thread.
struct BackendContext {
    BackendConfig config;
    sdk::HostServices& host;
    sdk::Logger& logger;
    OwnerMap tasks;         ///< task id -> account
    OwnerMap environments;  ///< environment id -> account
    OwnerMap settings;      ///< one entry per pool: the account holding the pool's settings
};

}  // namespace sluice::plugins::route_backend
