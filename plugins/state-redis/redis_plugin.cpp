#include "redis_factory.hpp"
#include "sluice/sdk/plugin.hpp"

SLUICE_PLUGIN("state-redis", "0.1.0", sluice::plugins::state_redis::registerFactories)
