#include "seed_environment.hpp"

#include <functional>
#include <nlohmann/json.hpp>

#include "sluice/plugins/common/bounded_json.hpp"

extern char** environ;

namespace sluice::plugins::route_runner {

using std::chrono::milliseconds;

namespace {

std::int64_t envInteger(const std::string& name, const std::string& value, std::int64_t low,
                        std::int64_t high) {
    try {
        std::size_t used = 0;
        const long long parsed = std::stoll(value, &used);
        if (used == value.size() && parsed >= low && parsed <= high) {
            return parsed;
        }
    } catch (const std::exception&) {
    }
    throw sdk::ConfigError(name, "expected an integer between " + std::to_string(low) + " and " +
                                     std::to_string(high));
}

milliseconds envMillis(const std::string& name, const std::string& value) {
    return milliseconds(envInteger(name, value, 0, 7LL * 24 * 3600 * 1000));
}

bool envBool(const std::string& value) {
    return value == "1" || value == "true" || value == "yes" || value == "on";
}

std::vector<std::string> splitOn(const std::string& value, const std::string& separators) {
    std::vector<std::string> parts;
    std::string current;
    for (const char c : value + separators.front()) {
        if (separators.find(c) != std::string::npos) {
            if (!current.empty()) {
                parts.push_back(current);
            }
            current.clear();
        } else {
            current += c;
        }
    }
    return parts;
}

std::map<std::string, std::string> envHeaders(const std::string& name, const std::string& value) {
    const nlohmann::json parsed = common::parseJson(value);
    if (!parsed.is_object()) {
        throw sdk::ConfigError(name, "expected a JSON object of header name to value");
    }
    std::map<std::string, std::string> headers;
    for (const auto& [key, v] : parsed.items()) {
        headers[key] = v.is_string() ? v.get<std::string>() : v.dump();
    }
    return headers;
}

using Override = std::function<void(RunnerConfig&, const std::string& name, const std::string&)>;

// The seed's variables, each applied over the YAML block when set. PORT, BIND and LOG_LEVEL
// are Sluice's own `server:` and `logging:` settings and are not read here.
const std::vector<std::pair<std::string, Override>>& overrides() {
    static const std::vector<std::pair<std::string, Override>> table{
        {"CODEX_GATEWAY_MAX_BODY_BYTES",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.max_body_bytes = static_cast<std::uint64_t>(envInteger(n, v, 1, 1LL << 30));
         }},
        {"CODEX_GATEWAY_MAX_CONCURRENT",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.max_concurrent = static_cast<int>(envInteger(n, v, 1, 256));
         }},
        {"CODEX_GATEWAY_TIMEOUT_MS", [](RunnerConfig& c, const std::string& n,
                                        const std::string& v) { c.timeout = envMillis(n, v); }},
        {"CODEX_GATEWAY_MAX_TIMEOUT_MS",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.max_timeout = envMillis(n, v);
         }},
        {"CODEX_GATEWAY_DEFAULT_MODEL",
         [](RunnerConfig& c, const std::string&, const std::string& v) { c.default_model = v; }},
        {"CODEX_GATEWAY_EXTRA_ARGS",
         [](RunnerConfig& c, const std::string&, const std::string& v) {
             c.extra_args = splitOn(v, " \t\n");
         }},
        {"CODEX_GATEWAY_JSON_FLAG",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             if (v != "--json" && v != "--experimental-json") {
                 throw sdk::ConfigError(n, "expected --json or --experimental-json");
             }
             c.json_flag = v;
         }},
        {"CODEX_GATEWAY_SECURE_TOKEN",
         [](RunnerConfig& c, const std::string&, const std::string& v) { c.secure_token = v; }},
        {"CODEX_GATEWAY_DEFAULT_TAIL_LINES",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.default_tail_lines = static_cast<int>(envInteger(n, v, 1, 100000));
         }},
        {"CODEX_GATEWAY_MAX_TAIL_LINES",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.max_tail_lines = static_cast<int>(envInteger(n, v, 1, 100000));
         }},
        {"CODEX_GATEWAY_MAX_RETRIES",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.max_retries = static_cast<int>(envInteger(n, v, 0, 10));
         }},
        {"CODEX_GATEWAY_RETRY_DELAY_MS",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.retry_delay = envMillis(n, v);
         }},
        {"CODEX_GATEWAY_RETRY_ON_EMPTY",
         [](RunnerConfig& c, const std::string&, const std::string& v) {
             c.retry_on_empty = envBool(v);
         }},
        {"CODEX_GATEWAY_SESSION_DIRS",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             const auto dirs = splitOn(v, ",");
             if (dirs.empty()) {
                 throw sdk::ConfigError(n, "expected a directory");
             }
             c.state_dir = dirs.front();
         }},
        {"CODEX_GATEWAY_SECURE_SESSION_DIR",
         [](RunnerConfig& c, const std::string&, const std::string& v) { c.secure_dir = v; }},
        {"CODEX_GATEWAY_TRIGGER_FILE",
         [](RunnerConfig& c, const std::string&, const std::string& v) { c.triggers.file = v; }},
        {"CODEX_GATEWAY_DISABLE_TRIGGERS",
         [](RunnerConfig& c, const std::string&, const std::string& v) {
             c.triggers.enabled = !envBool(v);
         }},
        {"CODEX_GATEWAY_TRIGGER_DEBOUNCE_MS",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.triggers.debounce = envMillis(n, v);
         }},
        {"CODEX_GATEWAY_WATCH_PATHS",
         [](RunnerConfig& c, const std::string&, const std::string& v) {
             c.watcher.paths = splitOn(v, ";,");
         }},
        {"CODEX_GATEWAY_WATCH_PATTERN",
         [](RunnerConfig& c, const std::string&, const std::string& v) { c.watcher.pattern = v; }},
        {"CODEX_GATEWAY_WATCH_PROMPT_FILE",
         [](RunnerConfig& c, const std::string&, const std::string& v) {
             c.watcher.prompt_file = v;
         }},
        {"CODEX_GATEWAY_WATCH_DEBOUNCE_MS",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.watcher.debounce = envMillis(n, v);
         }},
        {"CODEX_GATEWAY_WATCH_POLL_MS",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.watcher.poll = envMillis(n, v);
         }},
        {"CODEX_GATEWAY_WATCH_SKIP_INITIAL_SCAN",
         [](RunnerConfig& c, const std::string&, const std::string& v) {
             c.watcher.skip_initial_scan = envBool(v);
         }},
        {"SESSION_WEBHOOK_URL",
         [](RunnerConfig& c, const std::string&, const std::string& v) { c.webhook.url = v; }},
        {"SESSION_WEBHOOK_TIMEOUT_MS",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.webhook.timeout = envMillis(n, v);
         }},
        {"SESSION_WEBHOOK_AUTH_BEARER",
         [](RunnerConfig& c, const std::string&, const std::string& v) { c.webhook.bearer = v; }},
        {"SESSION_WEBHOOK_HEADERS_JSON",
         [](RunnerConfig& c, const std::string& n, const std::string& v) {
             c.webhook.headers = envHeaders(n, v);
         }},
    };
    return table;
}

}  // namespace

void applySeedEnvironment(RunnerConfig& config,
                          const std::map<std::string, std::string>& environment) {
    for (const auto& [name, apply] : overrides()) {
        if (const auto it = environment.find(name); it != environment.end()) {
            apply(config, name, it->second);
        }
    }
}

std::map<std::string, std::string> seedEnvironment() {
    std::map<std::string, std::string> out;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const std::size_t eq = text.find('=');
        const std::string_view name = text.substr(0, eq);
        if (eq != std::string_view::npos &&
            (name.rfind("CODEX_GATEWAY_", 0) == 0 || name.rfind("SESSION_WEBHOOK_", 0) == 0)) {
            out.emplace(name, text.substr(eq + 1));
        }
    }
    return out;
}

}  // namespace sluice::plugins::route_runner
