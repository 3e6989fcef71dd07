#include "route_customer_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-customer", "0.1.0", sluice::plugins::route_customer::registerFactories)
