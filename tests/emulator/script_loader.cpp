#include "tests/emulator/script_loader.hpp"

#include <charconv>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string_view>

namespace sluice::emulator {
namespace {

[[noreturn]] void fail(const std::string& path, const std::string& what) {
    throw ScriptError(path + ": " + what);
}

std::string child(const std::string& path, std::string_view key) {
    return path.empty() ? std::string(key) : path + "." + std::string(key);
}

void requireMap(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap())
        fail(path.empty() ? "<root>" : path, "expected a mapping");
}

void checkKeys(const YAML::Node& node, const std::string& path,
               std::initializer_list<std::string_view> allowed) {
    requireMap(node, path);
    for (auto it = node.begin(); it != node.end(); ++it) {
        const auto key = it->first.as<std::string>();
        bool known = false;
        for (const auto candidate : allowed)
            known = known || candidate == key;
        if (!known)
            fail(child(path, key), "unknown key");
    }
}

std::string readString(const YAML::Node& node, const std::string& path) {
    if (!node.IsScalar())
        fail(path, "expected a string");
    return node.Scalar();
}

std::int64_t readInt(const YAML::Node& node, const std::string& path) {
    const auto text = readString(node, path);
    std::int64_t value = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (ec != std::errc() || ptr != end)
        fail(path, "expected an integer, got '" + text + "'");
    return value;
}

int readIntIn(const YAML::Node& node, const std::string& path, std::int64_t min, std::int64_t max) {
    const auto value = readInt(node, path);
    if (value < min || value > max) {
        fail(path, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    }
    return static_cast<int>(value);
}

double readDouble(const YAML::Node& node, const std::string& path) {
    const auto text = readString(node, path);
    try {
        std::size_t used = 0;
        const double value = std::stod(text, &used);
        if (used == text.size())
            return value;
    } catch (const std::exception&) {
    }
    fail(path, "expected a number, got '" + text + "'");
}

bool readBool(const YAML::Node& node, const std::string& path) {
    const auto text = readString(node, path);
    if (text == "true" || text == "yes" || text == "on")
        return true;
    if (text == "false" || text == "no" || text == "off")
        return false;
    fail(path, "expected true or false, got '" + text + "'");
}

/// Durations carry their unit ("250ms", "2s", "5m", "1h", "7d") so a script never guesses.
std::chrono::milliseconds readDuration(const YAML::Node& node, const std::string& path) {
    const auto text = readString(node, path);
    std::int64_t amount = 0;
    const auto* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, amount);
    if (ec != std::errc() || ptr == text.data() || amount < 0) {
        fail(path, "expected a duration such as 250ms, 2s, 5m, 1h or 7d, got '" + text + "'");
    }
    const std::string_view unit(ptr, static_cast<std::size_t>(end - ptr));
    if (unit == "ms")
        return std::chrono::milliseconds(amount);
    if (unit == "s")
        return std::chrono::seconds(amount);
    if (unit == "m")
        return std::chrono::minutes(amount);
    if (unit == "h")
        return std::chrono::hours(amount);
    if (unit == "d")
        return std::chrono::hours(24 * amount);
    if (unit.empty())
        fail(path, "duration '" + text + "' needs a unit (ms, s, m, h, d)");
    fail(path, "unknown duration unit '" + std::string(unit) + "'");
}

std::chrono::seconds readSeconds(const YAML::Node& node, const std::string& path) {
    return std::chrono::duration_cast<std::chrono::seconds>(readDuration(node, path));
}

void applyBehaviourKey(const std::string& key, const YAML::Node& value, const std::string& path,
                       Behaviour& out) {
    if (key == "mode") {
        const auto text = readString(value, path);
        const auto mode = parseMode(text);
        if (!mode)
            fail(path, "unknown mode '" + text + "'");
        out.mode = *mode;
    } else if (key == "text") {
        out.text = readString(value, path);
    } else if (key == "deltas") {
        out.deltas = readIntIn(value, path, 0, 100000);
    } else if (key == "command") {
        out.command = readString(value, path);
    } else if (key == "tool") {
        out.tool = readString(value, path);
    } else if (key == "tool_argument") {
        out.tool_argument = readString(value, path);
    } else if (key == "status") {
        out.status = readIntIn(value, path, 100, 599);
    } else if (key == "error_code") {
        out.error_code = readString(value, path);
    } else if (key == "error_message") {
        out.error_message = readString(value, path);
    } else if (key == "cut_after") {
        out.cut_after = readIntIn(value, path, 0, 1000000);
    } else if (key == "delay") {
        out.delay = readDuration(value, path);
    } else if (key == "event_delay") {
        out.event_delay = readDuration(value, path);
    } else if (key == "hang_for") {
        out.hang_for = readDuration(value, path);
    } else if (key == "resets_in") {
        out.resets_in = readSeconds(value, path);
    } else if (key == "usage") {
        checkKeys(value, path,
                  {"input_tokens", "cached_tokens", "output_tokens", "reasoning_tokens"});
        if (value["input_tokens"]) {
            out.usage.input_tokens = readInt(value["input_tokens"], child(path, "input_tokens"));
        }
        if (value["cached_tokens"]) {
            out.usage.cached_tokens = readInt(value["cached_tokens"], child(path, "cached_tokens"));
        }
        if (value["output_tokens"]) {
            out.usage.output_tokens = readInt(value["output_tokens"], child(path, "output_tokens"));
        }
        if (value["reasoning_tokens"]) {
            out.usage.reasoning_tokens =
                readInt(value["reasoning_tokens"], child(path, "reasoning_tokens"));
        }
    } else {
        fail(path, "unknown key");
    }
}

RateWindow parseWindow(const YAML::Node& node, const std::string& path, std::int64_t now,
                       RateWindow base) {
    checkKeys(node, path, {"used_percent", "window_minutes", "reset_in", "reset_at"});
    if (node["used_percent"]) {
        base.used_percent = readDouble(node["used_percent"], child(path, "used_percent"));
    }
    if (node["window_minutes"]) {
        base.window_minutes =
            readIntIn(node["window_minutes"], child(path, "window_minutes"), 0, 10000000);
    }
    if (node["reset_in"] && node["reset_at"])
        fail(path, "give reset_in or reset_at, not both");
    if (node["reset_in"]) {
        base.reset_at = now + readSeconds(node["reset_in"], child(path, "reset_in")).count();
    }
    if (node["reset_at"])
        base.reset_at = readInt(node["reset_at"], child(path, "reset_at"));
    return base;
}

std::string readRequiredString(const YAML::Node& node, std::string_view key,
                               const std::string& path) {
    if (!node[std::string(key)])
        fail(child(path, key), "is required");
    const auto value = readString(node[std::string(key)], child(path, key));
    if (value.empty())
        fail(child(path, key), "must not be empty");
    return value;
}

ServerSpec parseServer(const YAML::Node& node, const std::string& path) {
    ServerSpec spec;
    checkKeys(node, path,
              {"threads", "recording_capacity", "log_requests", "workspace_backend_origin",
               "websocket_max_age", "device_auth_interval"});
    if (node["threads"])
        spec.threads = readIntIn(node["threads"], child(path, "threads"), 2, 65536);
    if (node["recording_capacity"]) {
        spec.recording_capacity = static_cast<std::size_t>(
            readIntIn(node["recording_capacity"], child(path, "recording_capacity"), 0, 10000000));
    }
    if (node["log_requests"]) {
        spec.log_requests = readBool(node["log_requests"], child(path, "log_requests"));
    }
    if (node["workspace_backend_origin"]) {
        spec.workspace_backend_origin =
            readString(node["workspace_backend_origin"], child(path, "workspace_backend_origin"));
    }
    if (node["websocket_max_age"]) {
        spec.websocket_max_age =
            readDuration(node["websocket_max_age"], child(path, "websocket_max_age"));
    }
    if (node["device_auth_interval"]) {
        spec.device_auth_interval =
            readDuration(node["device_auth_interval"], child(path, "device_auth_interval"));
    }
    return spec;
}

}  // namespace

YAML::Node parseYamlText(const std::string& text) {
    try {
        return YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ScriptError("<root>: not valid YAML/JSON: " + std::string(e.what()));
    }
}

Behaviour parseBehaviour(const YAML::Node& node, const std::string& path, Behaviour base) {
    requireMap(node, path);
    for (auto it = node.begin(); it != node.end(); ++it) {
        const auto key = it->first.as<std::string>();
        applyBehaviourKey(key, it->second, child(path, key), base);
    }
    return base;
}

std::vector<Fault> parseFaults(const YAML::Node& node, const std::string& path,
                               const Behaviour& base) {
    std::vector<Fault> faults;
    const auto parseOne = [&](const YAML::Node& entry, const std::string& entry_path) {
        requireMap(entry, entry_path);
        Fault fault{base, 1};
        for (auto it = entry.begin(); it != entry.end(); ++it) {
            const auto key = it->first.as<std::string>();
            if (key == "count") {
                fault.count = readIntIn(it->second, child(entry_path, key), 1, 1000000000);
            } else {
                applyBehaviourKey(key, it->second, child(entry_path, key), fault.behaviour);
            }
        }
        faults.push_back(std::move(fault));
    };
    if (node.IsMap()) {
        parseOne(node, path);
    } else if (node.IsSequence()) {
        for (std::size_t i = 0; i < node.size(); ++i) {
            parseOne(node[i], path + "[" + std::to_string(i) + "]");
        }
    } else {
        fail(path, "expected a fault mapping or a list of them");
    }
    return faults;
}

RateLimits parseRateLimits(const YAML::Node& node, const std::string& path, std::int64_t now,
                           RateLimits base) {
    checkKeys(node, path,
              {"primary", "secondary", "credits", "stream_event", "usage_delay", "header_set",
               "on_upgrade"});
    if (node["primary"]) {
        base.primary = node["primary"].IsNull()
                           ? std::nullopt
                           : std::optional(parseWindow(node["primary"], child(path, "primary"), now,
                                                       base.primary.value_or(RateWindow{})));
    }
    if (node["secondary"]) {
        base.secondary =
            node["secondary"].IsNull()
                ? std::nullopt
                : std::optional(parseWindow(node["secondary"], child(path, "secondary"), now,
                                            base.secondary.value_or(RateWindow{})));
    }
    if (node["credits"]) {
        const auto credits_path = child(path, "credits");
        const auto& credits_node = node["credits"];
        if (credits_node.IsNull()) {
            base.credits.reset();
        } else {
            checkKeys(credits_node, credits_path, {"has_credits", "unlimited", "balance"});
            Credits credits = base.credits.value_or(Credits{});
            if (credits_node["has_credits"]) {
                credits.has_credits =
                    readBool(credits_node["has_credits"], child(credits_path, "has_credits"));
            }
            if (credits_node["unlimited"]) {
                credits.unlimited =
                    readBool(credits_node["unlimited"], child(credits_path, "unlimited"));
            }
            if (credits_node["balance"]) {
                credits.balance =
                    readString(credits_node["balance"], child(credits_path, "balance"));
            }
            base.credits = credits;
        }
    }
    if (node["stream_event"]) {
        base.stream_event = readBool(node["stream_event"], child(path, "stream_event"));
    }
    if (node["usage_delay"]) {
        base.usage_delay = readDuration(node["usage_delay"], child(path, "usage_delay"));
    }
    if (node["header_set"]) {
        const auto text = readString(node["header_set"], child(path, "header_set"));
        if (text != "v169" && text != "drift")
            fail(child(path, "header_set"), "expected v169 or drift, got '" + text + "'");
        base.drift_headers = text == "drift";
    }
    if (node["on_upgrade"]) {
        base.on_upgrade = readBool(node["on_upgrade"], child(path, "on_upgrade"));
    }
    return base;
}

OAuthBehaviour parseOAuth(const YAML::Node& node, const std::string& path, OAuthBehaviour base) {
    checkKeys(node, path, {"mode", "status", "count", "delay", "access_token_ttl"});
    if (node["mode"]) {
        const auto text = readString(node["mode"], child(path, "mode"));
        const auto mode = parseOAuthMode(text);
        if (!mode)
            fail(child(path, "mode"), "unknown oauth mode '" + text + "'");
        base.mode = *mode;
    }
    if (node["status"])
        base.status = readIntIn(node["status"], child(path, "status"), 100, 599);
    if (node["count"])
        base.count = readIntIn(node["count"], child(path, "count"), 0, 1000000000);
    if (node["delay"])
        base.delay = readDuration(node["delay"], child(path, "delay"));
    if (node["access_token_ttl"]) {
        base.access_token_ttl =
            readSeconds(node["access_token_ttl"], child(path, "access_token_ttl"));
        if (base.access_token_ttl.count() < 1) {
            fail(child(path, "access_token_ttl"), "must be at least 1s");
        }
    }
    return base;
}

UploadBehaviour parseUploads(const YAML::Node& node, const std::string& path,
                             UploadBehaviour base) {
    checkKeys(node, path, {"finalize_retries"});
    if (node["finalize_retries"]) {
        base.finalize_retries =
            readIntIn(node["finalize_retries"], child(path, "finalize_retries"), 0, 1000);
    }
    return base;
}

AccountSpec parseAccount(const YAML::Node& node, const std::string& path, std::int64_t now) {
    checkKeys(node, path,
              {"id", "access_token", "refresh_token", "email", "user_id", "plan_type", "websocket",
               "workspace_backend_origin", "rate_limits", "behaviour", "faults", "oauth", "uploads",
               "turn_state"});
    AccountSpec spec;
    spec.id = readRequiredString(node, "id", path);
    if (node["access_token"]) {
        spec.access_token = readString(node["access_token"], child(path, "access_token"));
    }
    if (node["refresh_token"]) {
        spec.refresh_token = readString(node["refresh_token"], child(path, "refresh_token"));
    }
    spec.email = node["email"] ? readString(node["email"], child(path, "email"))
                               : spec.id + "@emulator.example.com";
    spec.user_id =
        node["user_id"] ? readString(node["user_id"], child(path, "user_id")) : "user-" + spec.id;
    if (node["plan_type"])
        spec.plan_type = readString(node["plan_type"], child(path, "plan_type"));
    if (node["websocket"]) {
        const auto ws_path = child(path, "websocket");
        const auto text = readString(node["websocket"], ws_path);
        if (text == "accept") {
            spec.websocket = true;
        } else if (text == "refuse") {
            spec.websocket = false;
        } else {
            spec.websocket = readBool(node["websocket"], ws_path);
        }
    }
    if (node["workspace_backend_origin"]) {
        spec.workspace_backend_origin =
            readString(node["workspace_backend_origin"], child(path, "workspace_backend_origin"));
    }
    if (node["turn_state"]) {
        const auto text = readString(node["turn_state"], child(path, "turn_state"));
        if (text != "header" && text != "frames")
            fail(child(path, "turn_state"), "expected header or frames, got '" + text + "'");
        spec.turn_state_in_frames = text == "frames";
    }
    if (node["rate_limits"]) {
        spec.rate_limits =
            parseRateLimits(node["rate_limits"], child(path, "rate_limits"), now, RateLimits{});
    }
    if (node["behaviour"]) {
        spec.behaviour = parseBehaviour(node["behaviour"], child(path, "behaviour"), Behaviour{});
    }
    // Faults inherit the steady behaviour (text, deltas, ...) so they only name the failure.
    if (node["faults"])
        spec.faults = parseFaults(node["faults"], child(path, "faults"), spec.behaviour);
    if (node["oauth"])
        spec.oauth = parseOAuth(node["oauth"], child(path, "oauth"), OAuthBehaviour{});
    if (node["uploads"]) {
        spec.uploads = parseUploads(node["uploads"], child(path, "uploads"), UploadBehaviour{});
    }
    return spec;
}

Script parseScript(const std::string& text, std::int64_t now) {
    const auto root = parseYamlText(text);
    Script script;
    if (!root || root.IsNull())
        return script;
    checkKeys(root, "", {"server", "accounts", "models"});
    if (root["server"])
        script.server = parseServer(root["server"], "server");
    if (root["accounts"]) {
        const auto& accounts = root["accounts"];
        if (!accounts.IsSequence())
            fail("accounts", "expected a list");
        for (std::size_t i = 0; i < accounts.size(); ++i) {
            const auto path = "accounts[" + std::to_string(i) + "]";
            auto spec = parseAccount(accounts[i], path, now);
            for (const auto& existing : script.accounts) {
                if (existing.id == spec.id)
                    fail(path + ".id", "duplicate account id '" + spec.id + "'");
            }
            script.accounts.push_back(std::move(spec));
        }
    }
    if (root["models"]) {
        if (!root["models"].IsSequence())
            fail("models", "expected a list of model entries");
        script.models = yamlToJson(root["models"]);
    }
    return script;
}

Script loadScriptFile(const std::string& file, std::int64_t now) {
    std::ifstream in(file);
    if (!in)
        throw ScriptError(file + ": cannot open the script file");
    std::ostringstream text;
    text << in.rdbuf();
    try {
        return parseScript(text.str(), now);
    } catch (const ScriptError& e) {
        throw ScriptError(file + ": " + e.what());
    }
}

nlohmann::json yamlToJson(const YAML::Node& node) {
    switch (node.Type()) {
        case YAML::NodeType::Sequence: {
            auto out = nlohmann::json::array();
            for (const auto& item : node)
                out.push_back(yamlToJson(item));
            return out;
        }
        case YAML::NodeType::Map: {
            auto out = nlohmann::json::object();
            for (auto it = node.begin(); it != node.end(); ++it) {
                out[it->first.as<std::string>()] = yamlToJson(it->second);
            }
            return out;
        }
        case YAML::NodeType::Scalar: {
            const auto& text = node.Scalar();
            if (node.Tag() == "!")
                return text;  // quoted: always a string
            if (text == "true")
                return true;
            if (text == "false")
                return false;
            if (text == "null" || text == "~")
                return nullptr;
            std::int64_t integer = 0;
            const auto* end = text.data() + text.size();
            if (auto [ptr, ec] = std::from_chars(text.data(), end, integer);
                ec == std::errc() && ptr == end && !text.empty()) {
                return integer;
            }
            auto parsed = nlohmann::json::parse(text, nullptr, false);
            if (parsed.is_number())
                return parsed;
            return text;
        }
        default:
            return nullptr;
    }
}

}  // namespace sluice::emulator
