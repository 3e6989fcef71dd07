#include "sluice/sdk/abi.hpp"
#include "strategy_builtin_factory.hpp"

SLUICE_PLUGIN("strategy-builtin", "0.1.0", sluice::plugins::strategy_builtin::registerFactories)
