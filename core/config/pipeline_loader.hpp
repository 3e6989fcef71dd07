#pragma once

#include <filesystem>
#include <vector>

#include "core/config/config_issue.hpp"
#include "core/config/pipeline.hpp"
#include "core/config/yaml_reader.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/plugin_registry.hpp"

namespace sluice::core::config {

/// Turns a pipeline file into a validated Pipeline: parse, check the pipeline's own schema,
/// load the listed plugins, check each plugin `config:` against its factory's schema, and
/// resolve every reference (storage type, strategy types, pool strategies, route families,
/// mounts). All of this happens before any port is bound; every problem found is reported.
class PipelineLoader final {
public:
    PipelineLoader(EnvLookup env, std::vector<std::filesystem::path> default_plugin_paths,
                   std::vector<plugin::BuiltinPlugin> builtins = {});

    /// Fills `registry` with the plugins the file lists. Returns the problems; when there are
    /// none, `out` holds the pipeline.
    ConfigIssues load(const std::filesystem::path& file, plugin::PluginRegistry& registry,
                      Pipeline& out) const;

private:
    EnvLookup env_;
    std::vector<std::filesystem::path> default_plugin_paths_;
    std::vector<plugin::BuiltinPlugin> builtins_;
};

}  // namespace sluice::core::config
