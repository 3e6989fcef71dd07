#pragma once

#include <string>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::prefer_label {

/// The `config:` of a prefer_label strategy, parsed once at pipeline load.
struct PreferLabelConfig {
    std::string label_key;  ///< from `label: key=value`
    std::string label_value;
    bool fallback = true;  ///< also return accounts without the label, after the others
};

/// Keys, types and defaults; the host validates against it before create() runs.
sdk::ConfigSchema preferLabelSchema();

/// Reads a config the host has validated (defaults applied). Throws sdk::ConfigError naming the
/// YAML path when `label` is not `key=value`.
PreferLabelConfig parsePreferLabelConfig(const sdk::ConfigNode& config);

}  // namespace sluice::plugins::prefer_label
