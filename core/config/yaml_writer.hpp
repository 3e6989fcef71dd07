#pragma once

#include <string>

#include "core/config/config_tree.hpp"

namespace sluice::core::config {

/// Renders a tree as YAML; secret values (from #env/#file or schema-secret fields) print as
/// "<redacted>". Used by `sluice validate` to show the effective configuration.
std::string writeYaml(const ConfigTree& tree);

inline constexpr const char* kRedacted = "<redacted>";

}  // namespace sluice::core::config
