#include "memory_factory.hpp"
#include "sluice/sdk/plugin.hpp"

SLUICE_PLUGIN("storage-memory", "0.1.0", sluice::plugins::storage_memory::registerFactories)
