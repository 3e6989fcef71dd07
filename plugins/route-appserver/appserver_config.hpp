#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::route_appserver {

/// What a project turn runs with when the request does not say.
struct TurnDefaults {
    std::string model;
    std::string effort;
    std::string approval_policy;
    std::string sandbox;
};

/// Settings of the codex_projects route family.
struct AppServerConfig {
    std::string codex_command;  ///< the `codex` executable (PATH lookup when not a path)
    std::string projects_root;  ///< workspaces: <projects_root>/<owner key>/<project id>
    std::string state_root;     ///< CODEX_HOME per owner key: <state_root>/<owner key>
    std::string codex_mount;    ///< where the pipeline mounts the codex_backend family
    std::string
        templates_root;  ///< optional: <templates_root>/<template> copied into new workspaces
    TurnDefaults defaults;
    bool allow_full_access = false;  ///< danger-full-access sandbox requests are refused without it
    std::size_t max_processes = 0;   ///< app-server processes (one per owner key) at most
    std::chrono::milliseconds request_timeout{0};  ///< one JSON-RPC call to the app-server
    std::chrono::milliseconds start_timeout{0};    ///< spawn and initialize handshake
    std::chrono::milliseconds restart_backoff{0};  ///< first delay before a restart
    std::chrono::milliseconds max_restart_backoff{0};
    int overload_retries = 0;  ///< retries of a call answered -32001 (server overloaded)
    std::chrono::milliseconds overload_backoff{0};
    std::chrono::seconds credential_ttl{0};  ///< lifetime of the delegated Pool credential
    std::size_t event_buffer = 0;            ///< events kept for Last-Event-ID replay
    std::chrono::milliseconds keepalive{0};  ///< SSE comment when nothing happened this long
    std::uint64_t max_file_bytes = 0;        ///< largest file read or written through files/*
    std::size_t max_tree_entries = 0;        ///< files/tree page size at most
    int max_tree_depth = 0;                  ///< files/tree depth at most
};

sdk::ConfigSchema appServerConfigSchema();
/// Throws sdk::ConfigError naming the YAML path of a bad value.
AppServerConfig parseAppServerConfig(const sdk::ConfigNode& config);

}  // namespace sluice::plugins::route_appserver
