#include "route_anthropic_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-anthropic", "0.1.0", sluice::plugins::route_anthropic::registerFactories)
