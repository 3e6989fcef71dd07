#include "messages_request.hpp"

#include <array>
#include <cstdint>
#include <string_view>

#include "anthropic_errors.hpp"
#include "content_blocks.hpp"

namespace sluice::plugins::route_anthropic {

namespace {

using json = nlohmann::json;

// Accepted and not forwarded: sampling settings the backend refuses, and client bookkeeping.
constexpr std::array<std::string_view, 6> kAcceptedNotForwarded{
    "temperature", "top_p", "top_k", "service_tier", "cache_control", "context_management"};

bool listed(std::string_view name, const auto& names) {
    for (const std::string_view candidate : names) {
        if (candidate == name) {
            return true;
        }
    }
    return false;
}

std::uint64_t fnv1a(std::string_view text, std::uint64_t hash = 1469598103934665603ULL) {
    for (const char c : text) {
        hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    return hash;
}

std::string dumped(const json& value) {
    return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string hex(std::uint64_t value) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i) {
        out[static_cast<std::size_t>(i)] = kDigits[value & 15];
        value >>= 4;
    }
    return out;
}

// The conversation's key, hashed to a fixed length that carries no client data upstream: the
// client's user id, else what every turn of the conversation repeats.
std::string continuityKey(const json& request) {
    static const json kNone;
    const json& metadata = request.contains("metadata") ? request["metadata"] : kNone;
    if (metadata.is_object() && metadata.contains("user_id") && metadata["user_id"].is_string() &&
        !metadata["user_id"].get_ref<const std::string&>().empty()) {
        return "anthropic:u" + hex(fnv1a(metadata["user_id"].get_ref<const std::string&>()));
    }
    std::uint64_t hash = fnv1a(request.contains("system") ? dumped(request["system"]) : "");
    for (const json& message : request["messages"]) {
        if (message.is_object() && message.contains("role") && message["role"] == "user") {
            hash = fnv1a(message.contains("content") ? dumped(message["content"]) : "", hash);
            break;
        }
    }
    return "anthropic:h" + hex(hash);
}

Translated<json> translateTools(const json& tools) {
    if (!tools.is_array()) {
        return invalidRequest("tools: must be an array");
    }
    json out = json::array();
    for (std::size_t i = 0; i < tools.size(); ++i) {
        const std::string path = "tools." + std::to_string(i);
        const json& tool = tools[i];
        if (!tool.is_object() || !tool.contains("name") || !tool["name"].is_string()) {
            return invalidRequest(path + ".name: must be a string");
        }
        const std::string type = tool.contains("type") && tool["type"].is_string()
                                     ? tool["type"].get<std::string>()
                                     : "custom";
        if (type != "custom") {
            return invalidRequest(path + ".type: server tools (" + type +
                                  ") are not supported by this gateway; declare client tools");
        }
        const json schema = tool.contains("input_schema") && tool["input_schema"].is_object()
                                ? tool["input_schema"]
                                : json{{"type", "object"}, {"properties", json::object()}};
        json translated{{"type", "function"},
                        {"name", tool["name"]},
                        {"parameters", schema},
                        {"strict", false}};
        if (tool.contains("description") && tool["description"].is_string()) {
            translated["description"] = tool["description"];
        }
        out.push_back(std::move(translated));
    }
    return out;
}

Translated<json> translateToolChoice(const json& choice) {
    const std::string type =
        choice.is_object() && choice.contains("type") && choice["type"].is_string()
            ? choice["type"].get<std::string>()
            : "";
    if (type == "auto" || type == "none") {
        return json(type);
    }
    if (type == "any") {
        return json("required");
    }
    if (type == "tool") {
        if (!choice.contains("name") || !choice["name"].is_string()) {
            return invalidRequest("tool_choice.name: must be a string");
        }
        return json{{"type", "function"}, {"name", choice["name"]}};
    }
    return invalidRequest("tool_choice.type: must be one of auto, any, tool, none");
}

// output_config: an explicit effort (it wins over a thinking budget) and a JSON schema format.
std::optional<sdk::ErrorInfo> translateOutputConfig(const json& config, json& body) {
    if (!config.is_object()) {
        return invalidRequest("output_config: must be an object");
    }
    for (const auto& [key, value] : config.items()) {
        if (key == "effort") {
            if (value != "low" && value != "medium" && value != "high" && value != "max") {
                return invalidRequest(
                    "output_config.effort: must be one of low, medium, high, max");
            }
            body["reasoning"] = {{"effort", value == "max" ? json("xhigh") : value}};
        } else if (key == "format") {
            if (!value.is_object() || value.value("type", json()) != "json_schema" ||
                !value.contains("schema") || !value["schema"].is_object()) {
                return invalidRequest(
                    "output_config.format: must be a json_schema format with a schema");
            }
            body["text"] = {{"format",
                             {{"type", "json_schema"},
                              {"name", "output"},
                              {"schema", value["schema"]},
                              {"strict", false}}}};
        } else if (!value.is_null()) {
            return invalidRequest("output_config." + key + ": unsupported parameter");
        }
    }
    return std::nullopt;
}

// Anthropic's thinking budget as the backend's effort bucket.
Translated<json> translateThinking(const json& thinking) {
    const std::string type =
        thinking.is_object() && thinking.contains("type") && thinking["type"].is_string()
            ? thinking["type"].get<std::string>()
            : "";
    if (type == "disabled") {
        return json{{"effort", "low"}};
    }
    if (type == "adaptive") {
        return json{{"effort", "medium"}};
    }
    if (type != "enabled") {
        return invalidRequest("thinking.type: must be one of enabled, disabled, adaptive");
    }
    const json& budget = thinking.contains("budget_tokens") ? thinking["budget_tokens"] : json();
    if (!budget.is_number_integer() || budget.get<std::int64_t>() < 1024) {
        return invalidRequest("thinking.budget_tokens: must be an integer of at least 1024");
    }
    const std::int64_t tokens = budget.get<std::int64_t>();
    const char* effort = tokens < 4096 ? "low" : tokens < 16384 ? "medium" : "high";
    return json{{"effort", effort}};
}

std::optional<sdk::ErrorInfo> checkStop(const json& value) {
    if (!value.is_array()) {
        return invalidRequest("stop_sequences: must be an array of strings");
    }
    if (!value.empty()) {
        return invalidRequest(
            "stop_sequences: custom stop sequences are not supported by this "
            "gateway");
    }
    return std::nullopt;
}

// One top-level field into `call`; an error stops the translation.
std::optional<sdk::ErrorInfo> translateField(const std::string& name, const json& value,
                                             const ModelMap& models, MessagesCall& call) {
    json& body = call.body;
    if (name == "model") {
        if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
            return invalidRequest("model: must be a non-empty string");
        }
        call.client_model = value.get<std::string>();
        call.model = models.resolve(call.client_model);
        body["model"] = call.model;
    } else if (name == "messages") {
        auto input = translateConversation(value);
        if (auto* error = std::get_if<sdk::ErrorInfo>(&input)) {
            return *error;
        }
        for (json& item : std::get<json>(input)) {
            body["input"].push_back(std::move(item));
        }
    } else if (name == "system") {
        auto system = systemMessage(value);
        if (auto* error = std::get_if<sdk::ErrorInfo>(&system)) {
            return *error;
        }
        if (!std::get<json>(system).is_null()) {
            body["input"].insert(body["input"].begin(), std::move(std::get<json>(system)));
        }
    } else if (name == "max_tokens") {
        if (!value.is_number_integer() || value.get<std::int64_t>() < 1) {
            return invalidRequest("max_tokens: must be a positive integer");
        }
    } else if (name == "stream") {
        if (!value.is_boolean()) {
            return invalidRequest("stream: must be a boolean");
        }
        call.client_stream = value.get<bool>();
    } else if (name == "metadata") {
        if (!value.is_object()) {
            return invalidRequest("metadata: must be an object");
        }
    } else if (name == "stop_sequences") {
        return checkStop(value);
    } else if (name == "output_config") {
        return translateOutputConfig(value, body);
    } else if (name == "tools" || name == "tool_choice" || name == "thinking") {
        auto translated = name == "tools"         ? translateTools(value)
                          : name == "tool_choice" ? translateToolChoice(value)
                                                  : translateThinking(value);
        if (auto* error = std::get_if<sdk::ErrorInfo>(&translated)) {
            return *error;
        }
        // An explicit output_config.effort (read first: keys come in order) wins over thinking.
        if (name != "thinking" || !body.contains("reasoning")) {
            body[name == "thinking" ? "reasoning" : name] = std::move(std::get<json>(translated));
        }
        if (name == "tool_choice" && value.is_object() &&
            value.contains("disable_parallel_tool_use") &&
            value["disable_parallel_tool_use"] == true) {
            body["parallel_tool_calls"] = false;
        }
    } else if (!listed(name, kAcceptedNotForwarded)) {
        return invalidRequest(name + ": unsupported parameter");
    }
    return std::nullopt;
}

}  // namespace

Translation translateMessages(const json& request, const ModelMap& models, Purpose purpose) {
    if (!request.is_object()) {
        return invalidRequest("the request body must be a JSON object");
    }
    MessagesCall call;
    call.body = json{{"input", json::array()}};
    for (const auto& [name, value] : request.items()) {
        if (value.is_null()) {
            continue;
        }
        if (auto error = translateField(name, value, models, call)) {
            return *error;
        }
    }
    if (call.client_model.empty()) {
        return invalidRequest("model: field required");
    }
    if (!request.contains("messages")) {
        return invalidRequest("messages: field required");
    }
    if (purpose == Purpose::Create && !request.contains("max_tokens")) {
        return invalidRequest("max_tokens: field required");
    }
    call.continuity_key = continuityKey(request);
    call.body["prompt_cache_key"] = call.continuity_key;
    call.body["instructions"] = "";
    if (!call.body.contains("reasoning")) {
        call.body["reasoning"] = json::object();
    }
    call.body["stream"] = true;
    call.body["store"] = false;
    return call;
}

}  // namespace sluice::plugins::route_anthropic
