#include "postgres_factory.hpp"
#include "sluice/sdk/plugin.hpp"

SLUICE_PLUGIN("storage-postgres", "0.1.0", sluice::plugins::storage_postgres::registerFactories)
