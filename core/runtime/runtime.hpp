#pragma once

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <vector>

#include "core/config/config_issue.hpp"
#include "core/config/pipeline.hpp"
#include "core/config/yaml_reader.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "core/runtime/host.hpp"
#include "core/security/secret_box.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::runtime {

/// The pipeline could not be brought up; every problem found is listed.
class StartupError : public std::runtime_error {
public:
    explicit StartupError(config::ConfigIssues issues);
    const config::ConfigIssues& issues() const noexcept { return issues_; }

private:
    config::ConfigIssues issues_;
};

struct RuntimeOptions {
    std::filesystem::path config;
    std::filesystem::path executable;  ///< to find the default plugin directories
    config::EnvLookup env;
    std::vector<plugin::BuiltinPlugin> builtins;
    /// Lines below this level are dropped whatever `logging.level` says: one-shot CLI commands
    /// raise it to Warning so their output is not wrapped in the plugins' info lines.
    sdk::LogLevel min_log_level = sdk::LogLevel::Debug;
};

/// Everything a loaded pipeline owns that both the CLI and the server need: the validated
/// pipeline, the plugin registry, host services, the secret box and the migrated storage.
class Runtime final {
public:
    /// Loads and validates the pipeline, loads plugins, opens and migrates storage.
    static std::unique_ptr<Runtime> open(const RuntimeOptions& options);

    ~Runtime();

    const config::Pipeline& pipeline() const noexcept { return pipeline_; }
    const std::filesystem::path& executable() const noexcept { return executable_; }
    /// Where `#env` references were resolved from (reloads use the same).
    const config::EnvLookup& environment() const noexcept { return environment_; }
    plugin::PluginRegistry& plugins() noexcept { return *registry_; }
    Host& host() noexcept { return *host_; }
    const security::SecretBox& secrets() const noexcept { return *secrets_; }
    sdk::StorageBackend& storage() noexcept { return *storage_; }

private:
    Runtime() = default;

    // Declaration order is destruction order in reverse: storage (plugin code) goes before the
    // registry that keeps its library loaded, and the host outlives both.
    std::unique_ptr<Host> host_;
    std::unique_ptr<plugin::PluginRegistry> registry_;
    config::Pipeline pipeline_;
    std::unique_ptr<security::SecretBox> secrets_;
    std::shared_ptr<sdk::StorageBackend> storage_;
    std::filesystem::path executable_;
    config::EnvLookup environment_;
};

/// Builds the secret box from validated settings.
std::unique_ptr<security::SecretBox> makeSecretBox(const config::SecretSettings& settings);

}  // namespace sluice::core::runtime
