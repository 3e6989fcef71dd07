#include "responses_request.hpp"

#include <array>
#include <string_view>

#include "json_access.hpp"
#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

constexpr std::string_view kEncryptedReasoning = "reasoning.encrypted_content";

// Sent upstream as they are (after the checks below).
constexpr std::array<std::string_view, 10> kForwarded{
    "model",     "input", "instructions", "tools",          "tool_choice", "parallel_tool_calls",
    "reasoning", "text",  "include",      "client_metadata"};

// The fields of the backend's CompactionInput that are sent as they are (after the checks).
constexpr std::array<std::string_view, 8> kCompactForwarded{
    "model",     "input", "instructions",    "tools", "parallel_tool_calls",
    "reasoning", "text",  "prompt_cache_key"};
// Understood, never sent: a compaction answers one JSON object and is never stored upstream.
constexpr std::array<std::string_view, 4> kCompactAccepted{"stream", "store", "include",
                                                           "service_tier"};

// Understood, but never sent: the Codex backend rejects them, or they only shape the answer
// the gateway gives (stream), or storage the gateway never asks the backend for (store).
constexpr std::array<std::string_view, 15> kAcceptedNotForwarded{
    "stream",      "store", "stream_options", "max_output_tokens", "max_tool_calls",
    "temperature", "top_p", "top_logprobs",   "safety_identifier", "prompt_cache_retention",
    "metadata",    "user",  "truncation",     "background",        "service_tier"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
    for (const std::string_view candidate : names) {
        if (candidate == name) {
            return true;
        }
    }
    return false;
}

bool isInteger(const json& value) {
    return value.is_number_integer() || value.is_number_unsigned();
}

// The JSON type every accepted parameter must have; empty when anything goes.
std::optional<sdk::ErrorInfo> checkType(const std::string& name, const json& value) {
    const auto expect = [&](bool ok, const char* what) -> std::optional<sdk::ErrorInfo> {
        if (ok) {
            return std::nullopt;
        }
        return invalidValue(name, "'" + name + "' must be " + what + ".");
    };
    if (name == "model" || name == "instructions" || name == "prompt_cache_key" ||
        name == "previous_response_id" || name == "safety_identifier" ||
        name == "prompt_cache_retention" || name == "user" || name == "service_tier" ||
        name == "truncation") {
        return expect(value.is_string(), "a string");
    }
    if (name == "input") {
        return expect(value.is_string() || value.is_array(), "a string or an array of input items");
    }
    if (name == "tools" || name == "include") {
        return expect(value.is_array(), "an array");
    }
    if (name == "tool_choice") {
        return expect(value.is_string() || value.is_object(), "a string or an object");
    }
    if (name == "parallel_tool_calls" || name == "stream" || name == "store" ||
        name == "background") {
        return expect(value.is_boolean(), "a boolean");
    }
    if (name == "reasoning" || name == "text" || name == "client_metadata" ||
        name == "stream_options" || name == "metadata") {
        return expect(value.is_object(), "an object");
    }
    if (name == "max_output_tokens" || name == "max_tool_calls" || name == "top_logprobs") {
        return expect(isInteger(value), "an integer");
    }
    if (name == "temperature" || name == "top_p") {
        return expect(value.is_number(), "a number");
    }
    return std::nullopt;
}

std::optional<sdk::ErrorInfo> checkTools(const json& tools) {
    for (std::size_t i = 0; i < tools.size(); ++i) {
        const std::string path = "tools[" + std::to_string(i) + "]";
        const json& tool = tools[i];
        if (!tool.is_object() || !tool.contains("type") || !tool["type"].is_string()) {
            return invalidValue(path, "'" + path + "' must be an object with a string 'type'.");
        }
        if (tool["type"] == "mcp") {
            return invalidRequest("Remote MCP tools are not supported by this gateway.",
                                  path + ".type");
        }
    }
    return std::nullopt;
}

Translated<json> normalizeItem(const json& item, const std::string& path) {
    if (!item.is_object()) {
        return invalidValue(path, "'" + path + "' must be an object.");
    }
    json out = item;
    if (!out.contains("type") && out.contains("role")) {
        out["type"] = "message";  // an "easy" message: {role, content}
    }
    if (!out.contains("type") || !out["type"].is_string()) {
        return invalidValue(path + ".type", "'" + path + ".type' must be a string.");
    }
    const std::string type = out["type"].get<std::string>();
    if (type == "item_reference") {
        return unsupportedValue(path + ".type",
                                "Item references need stored responses, which this gateway does "
                                "not keep; send the items themselves.");
    }
    if (type != "message") {
        return out;  // function calls, their outputs, reasoning, compaction, ...: verbatim
    }
    if (!out.contains("role") || !out["role"].is_string()) {
        return invalidValue(
            path + ".role",
            "'" + path + ".role' must be one of user, assistant, system, developer.");
    }
    const std::string role = out["role"].get<std::string>();
    if (role != "user" && role != "assistant" && role != "system" && role != "developer") {
        return invalidValue(
            path + ".role",
            "'" + path + ".role' must be one of user, assistant, system, developer.");
    }
    if (role == "system") {
        out["role"] = "developer";  // the Codex backend speaks of developer messages
    }
    if (!out.contains("content") || out["content"].is_null()) {
        out["content"] = json::array();
    } else if (out["content"].is_string()) {
        out["content"] = json::array({{{"type", role == "assistant" ? "output_text" : "input_text"},
                                       {"text", out["content"]}}});
    } else if (!out["content"].is_array()) {
        return invalidValue(path + ".content",
                            "'" + path + ".content' must be a string or an array of parts.");
    }
    return out;
}

// The backend knows priority and flex; auto and default are its default and are not sent.
std::optional<sdk::ErrorInfo> applyServiceTier(const json& request, json& body) {
    if (!request.contains("service_tier") || !request["service_tier"].is_string()) {
        return std::nullopt;
    }
    const std::string tier = request["service_tier"].get<std::string>();
    if (tier == "fast" || tier == "priority") {
        body["service_tier"] = "priority";
    } else if (tier == "flex") {
        body["service_tier"] = "flex";
    } else if (tier != "auto" && tier != "default") {
        return invalidValue("service_tier",
                            "'service_tier' must be one of auto, default, flex, priority.");
    }
    return std::nullopt;
}

bool hasToolOutput(const json& input) {
    for (const json& item : input) {
        const std::string type = textOf(item, "type");
        if (type == "function_call_output" || type == "custom_tool_call_output") {
            return true;
        }
    }
    return false;
}

}  // namespace

Translated<json> normalizeInput(const json& input, const std::string& path) {
    if (input.is_string()) {
        return json::array(
            {{{"type", "message"},
              {"role", "user"},
              {"content", json::array({{{"type", "input_text"}, {"text", input}}})}}});
    }
    json items = json::array();
    for (std::size_t i = 0; i < input.size(); ++i) {
        auto item = normalizeItem(input[i], path + "[" + std::to_string(i) + "]");
        if (!item.ok()) {
            return item.error();
        }
        items.push_back(std::move(item).value());
    }
    return items;
}

void applyBackendDefaults(json& body) {
    if (!body.contains("instructions") || !body["instructions"].is_string()) {
        body["instructions"] = "";
    }
    if (!body.contains("reasoning") || !body["reasoning"].is_object()) {
        body["reasoning"] = json::object();
    }
    json include = json::array({kEncryptedReasoning});
    if (body.contains("include") && body["include"].is_array()) {
        for (const json& entry : body["include"]) {
            if (entry.is_string() && entry != kEncryptedReasoning) {
                include.push_back(entry);
            }
        }
    }
    body["include"] = std::move(include);
    body["stream"] = true;
    body["store"] = false;
}

Translated<ResponsesCall> normalizeResponsesRequest(const json& request) {
    if (!request.is_object()) {
        return invalidRequest("The request body must be a JSON object.");
    }
    ResponsesCall call;
    json& body = call.body;
    body = json::object();
    for (const auto& [name, value] : request.items()) {
        if (value.is_null()) {
            continue;  // an explicit null is the same as leaving the parameter out
        }
        const bool forwarded = contains(kForwarded, name);
        if (!forwarded && !contains(kAcceptedNotForwarded, name) && name != "prompt_cache_key" &&
            name != "previous_response_id") {
            return unsupportedParameter(name);
        }
        if (auto error = checkType(name, value)) {
            return *error;
        }
        if (forwarded) {
            body[name] = value;
        }
    }
    if (!body.contains("model") || body["model"].get_ref<const std::string&>().empty()) {
        return missingParameter("model");
    }
    call.model = body["model"].get<std::string>();
    call.client_stream = flagOf(request, "stream", false);
    call.store = flagOf(request, "store", true);  // OpenAI keeps responses unless told not to
    if (request.contains("metadata") && request["metadata"].is_object()) {
        call.metadata = request["metadata"];
    }
    if (flagOf(request, "background", false)) {
        return unsupportedValue("background",
                                "Background responses need stored state, which this gateway does "
                                "not keep; use stream instead.");
    }
    if (request.contains("truncation") && !request["truncation"].is_null() &&
        request["truncation"] != "auto" && request["truncation"] != "disabled") {
        return invalidValue("truncation", "'truncation' must be 'auto' or 'disabled'.");
    }
    if (auto error = applyServiceTier(request, body)) {
        return *error;
    }
    if (body.contains("tools")) {
        if (auto error = checkTools(body["tools"])) {
            return *error;
        }
    }
    if (body.contains("include")) {
        for (std::size_t i = 0; i < body["include"].size(); ++i) {
            if (!body["include"][i].is_string()) {
                return invalidValue("include[" + std::to_string(i) + "]",
                                    "'include' entries must be strings.");
            }
        }
    }
    auto input = normalizeInput(body.contains("input") ? body["input"] : json::array(), "input");
    if (!input.ok()) {
        return input.error();
    }
    body["input"] = std::move(input).value();
    if (request.contains("prompt_cache_key") && request["prompt_cache_key"].is_string()) {
        call.prompt_cache_key = request["prompt_cache_key"].get<std::string>();
        body["prompt_cache_key"] = call.prompt_cache_key;
    }
    if (request.contains("previous_response_id") && request["previous_response_id"].is_string()) {
        call.previous_response_id = request["previous_response_id"].get<std::string>();
        // The backend only continues a response over HTTP for tool results; any other
        // continuation is routed to the same account but sent as a fresh turn.
        if (hasToolOutput(body["input"])) {
            body["previous_response_id"] = call.previous_response_id;
        }
    }
    applyBackendDefaults(body);
    return call;
}

Translated<TurnCall> normalizeCompactRequest(const json& request) {
    if (!request.is_object()) {
        return invalidRequest("The request body must be a JSON object.");
    }
    TurnCall call;
    call.body = json::object();
    for (const auto& [name, value] : request.items()) {
        if (value.is_null()) {
            continue;
        }
        const bool forwarded = contains(kCompactForwarded, name);
        if (!forwarded && !contains(kCompactAccepted, name)) {
            return unsupportedParameter(name);
        }
        if (auto error = checkType(name, value)) {
            return *error;
        }
        if (forwarded) {
            call.body[name] = value;
        }
    }
    if (!call.body.contains("model") || call.body["model"].get_ref<const std::string&>().empty()) {
        return missingParameter("model");
    }
    call.model = call.body["model"].get<std::string>();
    if (auto error = applyServiceTier(request, call.body)) {
        return *error;
    }
    if (call.body.contains("tools")) {
        if (auto error = checkTools(call.body["tools"])) {
            return *error;
        }
    }
    auto input =
        normalizeInput(call.body.contains("input") ? call.body["input"] : json::array(), "input");
    if (!input.ok()) {
        return input.error();
    }
    call.body["input"] = std::move(input).value();
    if (call.body.contains("prompt_cache_key")) {
        call.prompt_cache_key = call.body["prompt_cache_key"].get<std::string>();
    }
    return call;
}

}  // namespace sluice::plugins::route_openai
