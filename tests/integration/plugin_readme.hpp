#pragma once

// A plugin README is a contract: its first ```yaml block completes a working pipeline, and the
// table under "## Configuration" lists exactly the keys and defaults of the factory's schema.

#include <map>
#include <string>

#include "core/config/pipeline_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::tests::integration {

/// plugins/<plugin>/README.md as text.
std::string pluginReadme(const std::string& plugin);
std::string firstYamlBlock(const std::string& text);
/// The `key` and `default` cells of the table under "## Configuration" (keys may be dotted).
std::map<std::string, std::string> configurationTable(const std::string& text);
/// Every key of `schema` with its default ("(required)" or "(none)" without one); the fields of
/// an Object are listed as "<object>.<field>".
std::map<std::string, std::string> schemaDefaults(const sdk::ConfigSchema& schema);

struct LoadedExample {
    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    core::config::ConfigIssues issues;
};

/// Loads the README's example (storage, secrets, a strategy and a pool added) with the build's
/// plugins.
void loadReadmeExample(const std::string& plugin, LoadedExample& loaded);

}  // namespace sluice::tests::integration
