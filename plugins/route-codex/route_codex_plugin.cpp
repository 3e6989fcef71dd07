#include "route_codex_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-codex", "0.1.0", sluice::plugins::route_codex::registerFactories)
