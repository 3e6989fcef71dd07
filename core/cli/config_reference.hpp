#pragma once

#include <ostream>
#include <vector>

#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::core::cli {

/// Writes docs/configuration.md: the pipeline's own schema, then every factory's settings,
/// grouped by kind and sorted by name. Depends only on the schemas (never on where a library
/// was found), so the checked-in page can be compared byte for byte. Any thread.
void writeConfigReference(std::ostream& out, const sdk::ConfigSchema& pipeline,
                          std::vector<plugin::FactoryInfo> factories);

}  // namespace sluice::core::cli
