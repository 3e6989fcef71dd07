#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_admin {

/// Registers the admin route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_admin
