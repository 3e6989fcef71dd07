#pragma once

#include <memory>
#include <vector>

#include "sluice/sdk/registrar.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// One factory per built-in strategy, in the order `sluice plugins list` shows them.
std::vector<std::unique_ptr<sdk::RoutingStrategyFactory>> builtinStrategyFactories();

/// Registers the built-in routing strategies.
void registerFactories(sdk::Registrar& registrar);

}  // namespace sluice::plugins::strategy_builtin
