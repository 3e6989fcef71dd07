#include "route_appserver_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-appserver", "0.1.0", sluice::plugins::route_appserver::registerFactories)
