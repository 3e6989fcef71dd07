#pragma once

// A plugin's config as the host would hand it over: the schema's defaults applied, plus the
// values a test sets. The host validates and fills defaults before create() runs; FakeConfig
// alone does not, so a test that builds config by hand would have to repeat every default.
//
//   auto config = configFromSchema(MyFactory().schema(), {{"label", "tier=pro"}});
//   auto strategy = MyFactory().create(*config, host);

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/testing/fake_config.hpp"

namespace sluice::sdk::testing {

/// Scalar values by key, as YAML text ("true", "30s", "tier=pro"); "[a, b]" is a string list.
using ConfigValues = std::vector<std::pair<std::string, std::string>>;

/// A map with every top-level field of `schema` that has a default (YAML flow lists such as
/// "[a, b]" become sequences, a quoted "" an empty string; Object fields are filled from their
/// own fields' defaults), then `values` over it. Throws std::invalid_argument for a key of
/// `values` the schema does not have, as the host would reject it.
FakeConfig::Ptr configFromSchema(const ConfigSchema& schema, const ConfigValues& values = {});

}  // namespace sluice::sdk::testing
