#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_mcp {

/// Registers the mcp route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_mcp
