#include "sluice/sdk/plugin.hpp"
#include "sqlite_factory.hpp"

SLUICE_PLUGIN("storage-sqlite", "0.1.0", sluice::plugins::storage_sqlite::registerFactories)
