#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::route_runner {

/// Registers the `codex_runner` route family.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::route_runner
