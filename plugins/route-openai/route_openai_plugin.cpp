#include "route_openai_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-openai", "0.1.0", sluice::plugins::route_openai::registerFactories)
