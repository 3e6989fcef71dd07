#pragma once

#include "core/config/config_issue.hpp"
#include "core/config/config_tree.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::core::config {

/// Checks a map node against a schema: unknown keys (with a suggestion), missing required keys,
/// value types, choices and ranges. Applies schema defaults in place and marks secret fields.
/// Every problem is appended to `issues`; validation never stops at the first one.
void validateAgainstSchema(ConfigTree& node, const sdk::ConfigSchema& schema, ConfigIssues& issues);

/// Replaces a null node (an empty `config:`) by an empty map so it can be validated.
ConfigTree& ensureMap(ConfigTree& parent, const std::string& key);

}  // namespace sluice::core::config
