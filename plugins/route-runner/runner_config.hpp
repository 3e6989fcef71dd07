#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::route_runner {

struct WatcherConfig {
    std::vector<std::string> paths;
    std::string pattern;
    std::string prompt_file;
    std::chrono::milliseconds debounce{};
    std::chrono::milliseconds poll{};
    bool skip_initial_scan = true;
    std::string owner_key;  ///< Pool key prefix the watcher's runs are accounted to
};

struct WebhookConfig {
    std::string url;
    std::chrono::milliseconds timeout{};
    std::string bearer;
    std::map<std::string, std::string> headers;
    std::string signing_secret;
    int max_attempts = 1;
    std::chrono::milliseconds backoff{};
};

struct TriggersConfig {
    bool enabled = true;
    std::string dir;   ///< trigger files live here; `trigger_file` may only name files below it
    std::string file;  ///< the default trigger file, relative to `dir`
    std::chrono::milliseconds debounce{};
    std::chrono::milliseconds poll{};
    std::string owner_key;  ///< accounts fires of triggers that name no owner
};

/// The runner's configuration: the YAML block with the seed's environment variables applied
/// over it (see README.md for the table).
struct RunnerConfig {
    std::string codex_bin;
    std::string state_dir;
    std::string secure_dir;  ///< empty: <state_dir>/secure
    std::vector<std::string> workspace_roots;
    std::string default_model;
    std::vector<std::string> extra_args;
    std::string json_flag;
    std::string sandbox;
    std::vector<std::string> pass_env;
    std::string backend_path;
    std::uint64_t max_body_bytes = 0;
    int max_concurrent = 0;
    std::chrono::seconds retry_after{};
    std::chrono::milliseconds timeout{};
    std::chrono::milliseconds min_timeout{};
    std::chrono::milliseconds max_timeout{};
    std::chrono::milliseconds kill_grace{};
    int max_retries = 0;
    std::chrono::milliseconds retry_delay{};
    bool retry_on_empty = false;
    std::string secure_token;
    std::string open_access_key;  ///< when set: routes take no key and this key pays
    int default_tail_lines = 0;
    int max_tail_lines = 0;
    TriggersConfig triggers;
    WatcherConfig watcher;
    WebhookConfig webhook;
};

sdk::ConfigSchema runnerConfigSchema();

/// Reads the validated block; `environment` (name -> value, normally the process's) overrides
/// it when `seed_environment` is on. Throws ConfigError naming the YAML path or the variable.
RunnerConfig parseRunnerConfig(const sdk::ConfigNode& config,
                               const std::map<std::string, std::string>& environment);

}  // namespace sluice::plugins::route_runner
