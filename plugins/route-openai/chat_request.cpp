#include "chat_request.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include "chat_messages.hpp"
#include "json_access.hpp"
#include "openai_errors.hpp"
#include "responses_request.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 13> kTranslated{"model",
                                                       "messages",
                                                       "stream",
                                                       "stream_options",
                                                       "tools",
                                                       "tool_choice",
                                                       "parallel_tool_calls",
                                                       "response_format",
                                                       "reasoning_effort",
                                                       "verbosity",
                                                       "prompt_cache_key",
                                                       "service_tier",
                                                       "store"};

constexpr std::array<std::string_view, 7> kAcceptedNotForwarded{
    "max_tokens", "max_completion_tokens", "temperature",           "top_p",
    "metadata",   "safety_identifier",     "prompt_cache_retention"};

bool isStringMap(const json& value) {
    return value.is_object() && std::all_of(value.begin(), value.end(),
                                            [](const json& entry) { return entry.is_string(); });
}

bool listed(std::string_view name, const auto& names) {
    for (const std::string_view candidate : names) {
        if (candidate == name) {
            return true;
        }
    }
    return false;
}

// A parameter the backend cannot honour, sent with the value that changes nothing.
bool neutral(const std::string& name, const json& value) {
    if (name == "n") {
        return value == 1;
    }
    if (name == "logprobs") {
        return value == false;
    }
    if (name == "presence_penalty" || name == "frequency_penalty") {
        return value.is_number() && value.get<double>() == 0.0;
    }
    if (name == "modalities") {
        return value == json::array({"text"});
    }
    return false;
}

Translated<json> translateTools(const json& tools) {
    if (!tools.is_array()) {
        return invalidValue("tools", "'tools' must be an array.");
    }
    json out = json::array();
    for (std::size_t i = 0; i < tools.size(); ++i) {
        const std::string path = "tools[" + std::to_string(i) + "]";
        const json& tool = tools[i];
        const std::string type = textOf(tool, "type");
        if (type == "function") {
            const json& function = member(tool, "function");
            if (!isString(function, "name")) {
                return invalidValue(path + ".function.name",
                                    "'" + path + ".function.name' must be a string.");
            }
            const json& parameters = member(function, "parameters");
            json translated{
                {"type", "function"},
                {"name", function["name"]},
                {"parameters", parameters.is_null()
                                   ? json{{"type", "object"}, {"properties", json::object()}}
                                   : parameters},
                {"strict", flagOf(function, "strict", false)}};
            if (!member(function, "description").is_null()) {
                translated["description"] = function["description"];
            }
            if (translated["strict"] == true &&
                textOf(translated["parameters"], "type") != "object") {
                return invalidValue(
                    path + ".function.parameters",
                    "Strict function parameters must be a JSON schema with an object root.");
            }
            out.push_back(std::move(translated));
        } else if (type == "custom") {
            const json& custom = member(tool, "custom");
            if (!isString(custom, "name")) {
                return invalidValue(path + ".custom.name",
                                    "'" + path + ".custom.name' must be a string.");
            }
            json translated{{"type", "custom"}, {"name", custom["name"]}};
            for (const char* key : {"description", "format"}) {
                if (!member(custom, key).is_null()) {
                    translated[key] = custom[key];
                }
            }
            out.push_back(std::move(translated));
        } else {
            return unsupportedValue(path + ".type",
                                    "'" + path + ".type' must be 'function' or 'custom'.");
        }
    }
    return out;
}

Translated<json> translateToolChoice(const json& choice) {
    if (choice.is_string()) {
        if (choice == "none" || choice == "auto" || choice == "required") {
            return choice;
        }
        return invalidValue("tool_choice",
                            "'tool_choice' must be none, auto, required or a named tool.");
    }
    const std::string type = textOf(choice, "type");
    for (const char* kind : {"function", "custom"}) {
        if (type == kind) {
            const json& named = member(choice, kind);
            if (!isString(named, "name")) {
                return invalidValue(
                    std::string("tool_choice.") + kind + ".name",
                    std::string("'tool_choice.") + kind + ".name' must be a string.");
            }
            return json{{"type", kind}, {"name", named["name"]}};
        }
    }
    return unsupportedValue(
        "tool_choice", "'tool_choice' must be none, auto, required, or a function or custom tool.");
}

Translated<json> translateResponseFormat(const json& format) {
    const std::string type = textOf(format, "type");
    if (type == "text" || type == "json_object") {
        return json{{"type", type}};
    }
    if (type != "json_schema") {
        return invalidValue("response_format.type",
                            "'response_format.type' must be text, json_object or json_schema.");
    }
    const json& schema = member(format, "json_schema");
    if (!isString(schema, "name")) {
        return invalidValue("response_format.json_schema.name",
                            "'response_format.json_schema.name' must be a string.");
    }
    json out{{"type", "json_schema"}, {"name", schema["name"]}};
    for (const char* key : {"schema", "strict", "description"}) {
        if (!member(schema, key).is_null()) {
            out[key] = schema[key];
        }
    }
    if (flagOf(out, "strict", false) && textOf(member(out, "schema"), "type") != "object") {
        return invalidValue("response_format.json_schema.schema",
                            "A strict JSON schema must have an object root.");
    }
    return out;
}

// Parameters that map to a place in the Responses body other than their own name.
std::optional<sdk::ErrorInfo> translateParameter(const std::string& name, const json& value,
                                                 ChatCall& call) {
    json& body = call.body;
    if (name == "model") {
        if (!value.is_string() || value.get_ref<const std::string&>().empty()) {
            return invalidValue("model", "'model' must be a non-empty string.");
        }
        call.model = value.get<std::string>();
        body["model"] = value;
    } else if (name == "stream" || name == "store" || name == "parallel_tool_calls") {
        if (!value.is_boolean()) {
            return invalidValue(name, "'" + name + "' must be a boolean.");
        }
        if (name == "stream") {
            call.client_stream = value.get<bool>();
        } else if (name == "parallel_tool_calls") {
            body["parallel_tool_calls"] = value;
        }
    } else if (name == "stream_options") {
        if (!value.is_object()) {
            return invalidValue(name, "'stream_options' must be an object.");
        }
        call.include_usage = flagOf(value, "include_usage", false);
    } else if (name == "reasoning_effort" || name == "verbosity" || name == "prompt_cache_key" ||
               name == "service_tier") {
        if (!value.is_string()) {
            return invalidValue(name, "'" + name + "' must be a string.");
        }
        if (name == "reasoning_effort") {
            body["reasoning"] = {{"effort", value}};
        } else if (name == "verbosity") {
            body["text"]["verbosity"] = value;
        } else if (name == "prompt_cache_key") {
            call.prompt_cache_key = value.get<std::string>();
            body["prompt_cache_key"] = value;
        } else if (value == "priority" || value == "fast") {
            body["service_tier"] = "priority";
        } else if (value == "flex") {
            body["service_tier"] = "flex";
        } else if (value != "auto" && value != "default") {
            return invalidValue(name,
                                "'service_tier' must be one of auto, default, flex, priority.");
        }
    } else if (name == "response_format") {
        auto format = translateResponseFormat(value);
        if (!format.ok()) {
            return format.error();
        }
        body["text"]["format"] = std::move(format).value();
    } else if (name == "tools") {
        auto tools = translateTools(value);
        if (!tools.ok()) {
            return tools.error();
        }
        body["tools"] = std::move(tools).value();
    } else if (name == "tool_choice") {
        auto choice = translateToolChoice(value);
        if (!choice.ok()) {
            return choice.error();
        }
        body["tool_choice"] = std::move(choice).value();
    } else if (name == "messages") {
        auto input = translateMessages(value);
        if (!input.ok()) {
            return input.error();
        }
        body["input"] = std::move(input).value();
    }
    return std::nullopt;
}

}  // namespace

Translated<ChatCall> translateChatRequest(const json& request) {
    if (!request.is_object()) {
        return invalidRequest("The request body must be a JSON object.");
    }
    ChatCall call;
    call.body = json::object();
    for (const auto& [name, value] : request.items()) {
        if (value.is_null() || listed(name, kAcceptedNotForwarded)) {
            continue;
        }
        if (name == "functions" || name == "function_call") {
            return unsupportedParameter(
                name,
                "it belongs to the legacy function-calling API, use 'tools' and "
                "'tool_choice'");
        }
        if (!listed(name, kTranslated)) {
            if (neutral(name, value)) {
                continue;
            }
            return unsupportedParameter(name);
        }
        if (auto error = translateParameter(name, value, call)) {
            return *error;
        }
    }
    if (call.model.empty()) {
        return missingParameter("model");
    }
    call.store = flagOf(request, "store", false);  // OpenAI keeps chat answers only when asked
    if (call.store) {
        call.messages = member(request, "messages");  // GET /chat/completions/{id}/messages
    }
    if (const json& metadata = member(request, "metadata"); !metadata.is_null()) {
        if (!isStringMap(metadata)) {
            return invalidValue("metadata", "'metadata' must be an object of string values.");
        }
        call.metadata = metadata;
    }
    if (!call.body.contains("input")) {
        return missingParameter("messages");
    }
    applyBackendDefaults(call.body);
    return call;
}

}  // namespace sluice::plugins::route_openai
