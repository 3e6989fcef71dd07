#include "appserver_config.hpp"

#include "sluice/plugins/common/config_checks.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_appserver {

namespace field = sdk::field;
namespace cfg = sdk::config;

using common::positiveDuration;
using common::refuseConfig;

namespace {

std::string absoluteOrEmpty(const sdk::ConfigNode& config, std::string_view key) {
    std::string value = cfg::has(config, key) ? cfg::getString(config, key) : std::string();
    if (!value.empty() && value.front() != '/') {
        refuseConfig(config, key, "must be an absolute path");
    }
    return value;
}

}  // namespace

sdk::ConfigSchema appServerConfigSchema() {
    return {
        field::string("codex_command", "The codex executable that runs `codex app-server`")
            .defaultsTo("codex"),
        field::string("projects_root", "Absolute directory holding one workspace per project")
            .mandatory(),
        field::string("state_root",
                      "Absolute directory holding each owner key's CODEX_HOME (threads, config)")
            .mandatory(),
        field::string("codex_mount",
                      "Mount of the codex_backend family the app-servers call on loopback")
            .defaultsTo("/backend-api/codex"),
        field::string("templates_root",
                      "Absolute directory of project templates (one subdirectory each)"),
        field::string("default_model", "Model of a turn that names none").defaultsTo("gpt-5.5"),
        field::string("default_effort", "Reasoning effort of a turn that names none")
            .defaultsTo("medium")
            .oneOf({"none", "minimal", "low", "medium", "high", "xhigh"}),
        field::string("default_approval_policy", "Approval policy of a turn that names none")
            .defaultsTo("untrusted")
            .oneOf({"untrusted", "on-failure", "on-request", "never"}),
        field::string("default_sandbox", "Sandbox of a thread that names none")
            .defaultsTo("workspace-write")
            .oneOf({"read-only", "workspace-write", "danger-full-access"}),
        field::boolean("allow_full_access",
                       "Accept danger-full-access sandboxes (commands run unconfined as Sluice)")
            .defaultsTo("false"),
        field::integer("max_processes", "App-server processes at most (one per owner key)")
            .defaultsTo("32")
            .between(1, 4096),
        field::duration("request_timeout", "Longest wait for one app-server JSON-RPC answer")
            .defaultsTo("60s"),
        field::duration("start_timeout", "Longest wait for a started app-server to initialize")
            .defaultsTo("30s"),
        field::duration("restart_backoff", "First delay before restarting an exited app-server")
            .defaultsTo("500ms"),
        field::duration("max_restart_backoff", "Longest delay between restarts").defaultsTo("30s"),
        field::integer("overload_retries", "Retries of a call the app-server answers -32001")
            .defaultsTo("3")
            .between(0, 20),
        field::duration("overload_backoff", "First delay before retrying an overloaded call")
            .defaultsTo("200ms"),
        field::duration("credential_ttl",
                        "Lifetime of the delegated Pool credential an app-server holds")
            .defaultsTo("24h"),
        field::integer("event_buffer", "Events kept for Last-Event-ID replay")
            .defaultsTo("2048")
            .between(16, 1'000'000),
        field::duration("keepalive", "SSE keepalive comment interval").defaultsTo("15s"),
        field::size("max_file_bytes", "Largest file read or written through files/content")
            .defaultsTo("1MiB"),
        field::integer("max_tree_entries", "files/tree entries per page at most")
            .defaultsTo("1000")
            .between(1, 100'000),
        field::integer("max_tree_depth", "files/tree directory depth at most")
            .defaultsTo("8")
            .between(1, 64),
    };
}

AppServerConfig parseAppServerConfig(const sdk::ConfigNode& config) {
    AppServerConfig parsed;
    parsed.codex_command = cfg::getString(config, "codex_command");
    if (parsed.codex_command.empty()) {
        refuseConfig(config, "codex_command", "must not be empty");
    }
    parsed.projects_root = absoluteOrEmpty(config, "projects_root");
    parsed.state_root = absoluteOrEmpty(config, "state_root");
    parsed.templates_root = absoluteOrEmpty(config, "templates_root");
    parsed.codex_mount = cfg::getString(config, "codex_mount");
    if (parsed.codex_mount.empty() || parsed.codex_mount.front() != '/') {
        refuseConfig(config, "codex_mount", "must start with '/'");
    }
    parsed.defaults = {cfg::getString(config, "default_model"),
                       cfg::getString(config, "default_effort"),
                       cfg::getString(config, "default_approval_policy"),
                       cfg::getString(config, "default_sandbox")};
    parsed.allow_full_access = cfg::getBool(config, "allow_full_access");
    parsed.max_processes = static_cast<std::size_t>(cfg::getInt(config, "max_processes"));
    parsed.request_timeout = positiveDuration(config, "request_timeout");
    parsed.start_timeout = positiveDuration(config, "start_timeout");
    parsed.restart_backoff = positiveDuration(config, "restart_backoff");
    parsed.max_restart_backoff = positiveDuration(config, "max_restart_backoff");
    parsed.overload_retries = static_cast<int>(cfg::getInt(config, "overload_retries"));
    parsed.overload_backoff = positiveDuration(config, "overload_backoff");
    const auto ttl = positiveDuration(config, "credential_ttl");
    if (ttl < std::chrono::minutes(5) || ttl > std::chrono::hours(24 * 7)) {
        refuseConfig(config, "credential_ttl", "must be from 5m to 7d");
    }
    parsed.credential_ttl = std::chrono::duration_cast<std::chrono::seconds>(ttl);
    parsed.event_buffer = static_cast<std::size_t>(cfg::getInt(config, "event_buffer"));
    parsed.keepalive = positiveDuration(config, "keepalive");
    parsed.max_file_bytes = cfg::getSize(config, "max_file_bytes");
    if (parsed.max_file_bytes == 0) {
        refuseConfig(config, "max_file_bytes", "must be larger than 0");
    }
    parsed.max_tree_entries = static_cast<std::size_t>(cfg::getInt(config, "max_tree_entries"));
    parsed.max_tree_depth = static_cast<int>(cfg::getInt(config, "max_tree_depth"));
    return parsed;
}

}  // namespace sluice::plugins::route_appserver
