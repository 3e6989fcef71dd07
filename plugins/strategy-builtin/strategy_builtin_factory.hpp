#pragma once

#include "sluice/sdk/registrar.hpp"

namespace sluice::plugins::strategy_builtin {

/// Registers the built-in routing strategies.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::strategy_builtin
