#pragma once

#include <string>
#include <string_view>

#include "core/config/config_issue.hpp"
#include "core/config/config_tree.hpp"
#include "core/config/pipeline.hpp"
#include "sluice/sdk/config.hpp"

namespace sluice::core::config {

/// A section the schema check has already vetted; a missing one was reported there.
template <class Tree>
Tree& requireSection(Tree& node, std::string_view key) {
    auto* child = node.find(key);
    if (child == nullptr) {
        throw sdk::ConfigError(joinPath(node.path(), std::string(key)), "missing");
    }
    return *child;
}

/// An optional secret is absent (empty) or non-empty: an empty value is a mistake, not "off".
std::string optionalSecret(const ConfigTree& node, std::string_view key, std::string_view what,
                           ConfigIssues& issues);

// The sections that need no plugin: each reads what the schema vetted and adds an issue, at
// its YAML path, for what a schema cannot say.
void readBilling(const ConfigTree& root, BillingSettings& billing, ConfigIssues& issues);
void readAlerts(const ConfigTree& root, AlertSettings& alerts, ConfigIssues& issues);
void readResponseStore(const ConfigTree& root, ResponseStoreSettings& store, ConfigIssues& issues);

}  // namespace sluice::core::config
