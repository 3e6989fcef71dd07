#include "route_admin_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-admin", "0.1.0", sluice::plugins::route_admin::registerFactories)
