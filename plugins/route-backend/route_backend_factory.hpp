#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_backend {

/// Registers the backend_api route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_backend
