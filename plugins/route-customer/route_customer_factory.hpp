#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_customer {

/// Registers the `customer` route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_customer
