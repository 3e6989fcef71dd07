#include "runner_config.hpp"

#include <functional>
#include <nlohmann/json.hpp>

#include "seed_environment.hpp"
#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_runner {

namespace field = sdk::field;
namespace cfg = sdk::config;
using std::chrono::milliseconds;

namespace {

sdk::ConfigSchema triggersSchema() {
    return {
        field::boolean("enabled", "Run the trigger scheduler").defaultsTo("true"),
        field::string("dir",
                      "Directory of trigger files; `trigger_file` may only name files below it")
            .defaultsTo("var/runner/triggers"),
        field::string("file", "The default trigger file, relative to `dir`")
            .defaultsTo("triggers.json"),
        field::duration("debounce", "Quiet time after an external edit before it is reloaded")
            .defaultsTo("750ms"),
        field::duration("poll", "How often trigger files are checked for external edits")
            .defaultsTo("500ms"),
        field::string("owner_key",
                      "Pool API key prefix that pays for triggers whose record names no owner "
                      "(triggers created through the API are paid by their creator's key)")
            .defaultsTo("\"\""),
    };
}

sdk::ConfigSchema watcherSchema() {
    return {
        field::stringList("paths", "Directories watched by polling; empty: no watcher")
            .defaultsTo("[]"),
        field::string("pattern",
                      "Glob over absolute paths (** any depth, * one segment, ? one char)")
            .defaultsTo("\"**/*\""),
        field::string("prompt_file", "Prompt template; empty: a built-in description of the change")
            .defaultsTo("\"\""),
        field::duration("debounce", "Quiet time per file before a burst of changes starts one run")
            .defaultsTo("750ms"),
        field::duration("poll", "Scan interval").defaultsTo("1s"),
        field::boolean("skip_initial_scan", "Files present at start are a baseline, not changes")
            .defaultsTo("true"),
        field::string("owner_key", "Pool API key prefix that pays for the watcher's runs")
            .defaultsTo("\"\""),
    };
}

sdk::ConfigSchema webhookSchema() {
    return {
        field::string("url", "Receives a JSON POST after each completed run; empty: none")
            .defaultsTo("\"\""),
        field::duration("timeout", "Per attempt").defaultsTo("5s"),
        field::string("bearer", "Sent as Authorization: Bearer").defaultsTo("\"\"").sensitive(),
        field::any("headers", "Extra headers, a map of name to value"),
        field::string("signing_secret",
                      "When set, X-Sluice-Signature: sha256=<hex HMAC-SHA256 of the body>")
            .defaultsTo("\"\"")
            .sensitive(),
        field::integer("max_attempts", "Attempts per event (1: no retry)")
            .defaultsTo("3")
            .between(1, 10),
        field::duration("backoff", "Delay before the second attempt, doubled after each")
            .defaultsTo("1s"),
    };
}

}  // namespace

sdk::ConfigSchema runnerConfigSchema() {
    return {
        field::string("codex_bin", "The Codex CLI executable (looked up on PATH)")
            .defaultsTo("codex"),
        field::string("state_dir", "Sessions, secure sessions and per-session CODEX_HOMEs")
            .defaultsTo("var/runner"),
        field::string("secure_dir", "Secure sessions; empty: <state_dir>/secure")
            .defaultsTo("\"\""),
        field::stringList("workspace_roots",
                          "Directories a run's `workspace` must lie in; the first is the default")
            .defaultsTo("[var/runner/workspace]"),
        field::string("default_model", "Model when a request names none; empty: the CLI's")
            .defaultsTo("\"\""),
        field::stringList("extra_args", "Extra `codex exec` arguments").defaultsTo("[]"),
        field::string("json_flag", "The JSON-events flag")
            .defaultsTo("--json")
            .oneOf({"--json", "--experimental-json"}),
        field::string("sandbox", "Sandbox of every run; bypass: no sandbox and no approvals")
            .defaultsTo("workspace-write")
            .oneOf({"read-only", "workspace-write", "danger-full-access", "bypass"}),
        field::stringList("pass_env", "Gateway environment variables passed to every run")
            .defaultsTo("[CODEX_SANDBOX_NETWORK_DISABLED, HTTPS_PROXY, HTTP_PROXY, NO_PROXY]"),
        field::string("backend_path", "Where Sluice serves the Codex backend (route-codex's mount)")
            .defaultsTo("/backend-api/codex"),
        field::size("max_body", "Largest request body").defaultsTo("1MiB"),
        field::integer("max_concurrent", "Codex runs at once, over API, triggers and watcher")
            .defaultsTo("2")
            .between(1, 256),
        field::duration("retry_after", "Retry-After of a 429 at the concurrency limit")
            .defaultsTo("5s"),
        field::duration("timeout", "Run time budget when a request sets no timeout_ms")
            .defaultsTo("120s"),
        field::duration("min_timeout", "Smallest timeout_ms honoured").defaultsTo("1s"),
        field::duration("max_timeout", "Largest timeout_ms honoured").defaultsTo("30m"),
        field::duration("kill_grace", "Between SIGTERM and SIGKILL of a timed-out run's group")
            .defaultsTo("2s"),
        field::integer("max_retries", "Retries of a failed run within its time budget")
            .defaultsTo("0")
            .between(0, 10),
        field::duration("retry_delay", "Base delay between retries (doubled, at most 5s)")
            .defaultsTo("2s"),
        field::boolean("retry_on_empty", "Retry a run that produced no output").defaultsTo("false"),
        field::string("secure_token", "Token for secure sessions; empty: no secure sessions")
            .defaultsTo("\"\"")
            .sensitive(),
        field::string("open_access_key",
                      "Pool API key prefix that pays for every run when the routes take no key "
                      "(the seed's unauthenticated clients); empty: every route but /health "
                      "needs a Pool API key")
            .defaultsTo("\"\""),
        field::integer("default_tail_lines", "Log lines of a session view")
            .defaultsTo("200")
            .between(1, 100000),
        field::integer("max_tail_lines", "Most log lines a session view returns")
            .defaultsTo("2000")
            .between(1, 100000),
        field::boolean("seed_environment",
                       "Apply the seed's CODEX_GATEWAY_* and SESSION_WEBHOOK_* variables over "
                       "this block")
            .defaultsTo("true"),
        field::object("triggers", "Scheduled prompts", triggersSchema()),
        field::object("watcher", "Runs on file changes", watcherSchema()),
        field::object("webhook", "Notification after each completed run", webhookSchema()),
    };
}

namespace {

std::map<std::string, std::string> readHeaders(const sdk::ConfigNode* node_or_null) {
    std::map<std::string, std::string> headers;
    if (node_or_null == nullptr || node_or_null->kind() == sdk::ConfigKind::Null) {
        return headers;
    }
    const sdk::ConfigNode& node = *node_or_null;
    if (node.kind() != sdk::ConfigKind::Map) {
        throw sdk::ConfigError(node.path(), "expected a map of header name to value");
    }
    for (const std::string& key : node.keys()) {
        const sdk::ConfigNode* value = node.get(key);
        if (value->kind() != sdk::ConfigKind::Scalar) {
            throw sdk::ConfigError(value->path(), "expected a header value");
        }
        headers[key] = value->scalar();
    }
    return headers;
}

void readBlock(RunnerConfig& parsed, const sdk::ConfigNode& config) {
    parsed.codex_bin = cfg::getString(config, "codex_bin");
    parsed.state_dir = cfg::getString(config, "state_dir");
    parsed.secure_dir = cfg::getString(config, "secure_dir");
    parsed.workspace_roots = cfg::getStringList(config, "workspace_roots");
    parsed.default_model = cfg::getString(config, "default_model");
    parsed.extra_args = cfg::getStringList(config, "extra_args");
    parsed.json_flag = cfg::getString(config, "json_flag");
    parsed.sandbox = cfg::getString(config, "sandbox");
    parsed.pass_env = cfg::getStringList(config, "pass_env");
    parsed.backend_path = cfg::getString(config, "backend_path");
    parsed.max_body_bytes = cfg::getSize(config, "max_body");
    parsed.max_concurrent = static_cast<int>(cfg::getInt(config, "max_concurrent"));
    parsed.retry_after =
        std::chrono::duration_cast<std::chrono::seconds>(cfg::getDuration(config, "retry_after"));
    parsed.timeout = cfg::getDuration(config, "timeout");
    parsed.min_timeout = cfg::getDuration(config, "min_timeout");
    parsed.max_timeout = cfg::getDuration(config, "max_timeout");
    parsed.kill_grace = cfg::getDuration(config, "kill_grace");
    parsed.max_retries = static_cast<int>(cfg::getInt(config, "max_retries"));
    parsed.retry_delay = cfg::getDuration(config, "retry_delay");
    parsed.retry_on_empty = cfg::getBool(config, "retry_on_empty");
    parsed.secure_token = cfg::getString(config, "secure_token");
    parsed.open_access_key = cfg::getString(config, "open_access_key");
    parsed.default_tail_lines = static_cast<int>(cfg::getInt(config, "default_tail_lines"));
    parsed.max_tail_lines = static_cast<int>(cfg::getInt(config, "max_tail_lines"));
}

void readSections(RunnerConfig& parsed, const sdk::ConfigNode& config) {
    const sdk::ConfigNode& triggers = cfg::child(config, "triggers");
    parsed.triggers.enabled = cfg::getBool(triggers, "enabled");
    parsed.triggers.dir = cfg::getString(triggers, "dir");
    parsed.triggers.file = cfg::getString(triggers, "file");
    parsed.triggers.debounce = cfg::getDuration(triggers, "debounce");
    parsed.triggers.poll = cfg::getDuration(triggers, "poll");
    parsed.triggers.owner_key = cfg::getString(triggers, "owner_key");
    const sdk::ConfigNode& watcher = cfg::child(config, "watcher");
    parsed.watcher.paths = cfg::getStringList(watcher, "paths");
    parsed.watcher.pattern = cfg::getString(watcher, "pattern");
    parsed.watcher.prompt_file = cfg::getString(watcher, "prompt_file");
    parsed.watcher.debounce = cfg::getDuration(watcher, "debounce");
    parsed.watcher.poll = cfg::getDuration(watcher, "poll");
    parsed.watcher.skip_initial_scan = cfg::getBool(watcher, "skip_initial_scan");
    parsed.watcher.owner_key = cfg::getString(watcher, "owner_key");
    const sdk::ConfigNode& webhook = cfg::child(config, "webhook");
    parsed.webhook.url = cfg::getString(webhook, "url");
    parsed.webhook.timeout = cfg::getDuration(webhook, "timeout");
    parsed.webhook.bearer = cfg::getString(webhook, "bearer");
    parsed.webhook.headers = readHeaders(webhook.get("headers"));
    parsed.webhook.signing_secret = cfg::getString(webhook, "signing_secret");
    parsed.webhook.max_attempts = static_cast<int>(cfg::getInt(webhook, "max_attempts"));
    parsed.webhook.backoff = cfg::getDuration(webhook, "backoff");
}

void checkConsistency(const RunnerConfig& parsed, const sdk::ConfigNode& config) {
    if (parsed.workspace_roots.empty()) {
        throw sdk::ConfigError(config.path() + ".workspace_roots", "name at least one directory");
    }
    if (parsed.min_timeout > parsed.max_timeout || parsed.timeout > parsed.max_timeout) {
        throw sdk::ConfigError(config.path() + ".timeout",
                               "timeout and min_timeout must not exceed max_timeout");
    }
    if (parsed.default_tail_lines > parsed.max_tail_lines) {
        throw sdk::ConfigError(config.path() + ".default_tail_lines",
                               "must not exceed max_tail_lines");
    }
    if (!parsed.watcher.paths.empty() && parsed.watcher.owner_key.empty()) {
        throw sdk::ConfigError(config.path() + ".watcher.owner_key",
                               "a watcher needs the Pool API key prefix that pays for its runs");
    }
}

}  // namespace

RunnerConfig parseRunnerConfig(const sdk::ConfigNode& config,
                               const std::map<std::string, std::string>& environment) {
    RunnerConfig parsed;
    readBlock(parsed, config);
    readSections(parsed, config);
    if (cfg::getBool(config, "seed_environment")) {
        applySeedEnvironment(parsed, environment);
    }
    checkConsistency(parsed, config);
    return parsed;
}

}  // namespace sluice::plugins::route_runner
