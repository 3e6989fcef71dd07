#include "route_runner_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-runner", "0.1.0", sluice::plugins::route_runner::registerFactories)
