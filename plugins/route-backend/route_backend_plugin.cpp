#include "route_backend_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-backend", "0.1.0", sluice::plugins::route_backend::registerFactories)
