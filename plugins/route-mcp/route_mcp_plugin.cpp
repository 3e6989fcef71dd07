#include "route_mcp_factory.hpp"
#include "sluice/sdk/abi.hpp"

SLUICE_PLUGIN("route-mcp", "0.1.0", sluice::plugins::route_mcp::registerFactories)
