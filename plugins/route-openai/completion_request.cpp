#include "completion_request.hpp"

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "json_access.hpp"
#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

// Completions parameters that mean the same in a chat request; chat's rules then apply.
constexpr std::array<std::string_view, 13> kSharedWithChat{
    "model", "stream",           "stream_options",    "max_tokens", "temperature", "top_p",
    "stop",  "presence_penalty", "frequency_penalty", "seed",       "logit_bias",  "user",
    "n"};

// The legacy-only parameters, refused unless they carry the value that changes nothing.
std::optional<sdk::ErrorInfo> refuseLegacyOnly(const std::string& name, const json& value) {
    if (name == "n" || name == "best_of") {
        if (value == 1) {
            return std::nullopt;
        }
        return unsupportedParameter(name, "the gateway answers one completion per request");
    }
    if (name == "echo") {
        if (value == false) {
            return std::nullopt;
        }
        return unsupportedParameter(name, "the backend does not return the prompt");
    }
    if (name == "logprobs") {
        return unsupportedParameter(name, "the backend does not return log probabilities");
    }
    if (name == "suffix") {
        if (value == "") {
            return std::nullopt;
        }
        return unsupportedParameter(name, "the backend does not insert text before a suffix");
    }
    return std::nullopt;
}

Translated<std::string> promptText(const json& prompt) {
    if (prompt.is_string()) {
        return prompt.get<std::string>();
    }
    if (!prompt.is_array() || prompt.empty()) {
        return invalidValue("prompt", "'prompt' must be a string or an array of strings.");
    }
    for (const json& element : prompt) {
        if (!element.is_string()) {
            return unsupportedValue(
                "prompt", "'prompt' must be text; token arrays are not supported by this gateway.");
        }
    }
    if (prompt.size() > 1) {
        return unsupportedValue("prompt",
                                "'prompt' may hold one string; send each prompt in its own "
                                "request.");
    }
    return prompt[0].get<std::string>();
}

}  // namespace

Translated<ChatCall> translateCompletionRequest(const json& request) {
    if (!request.is_object()) {
        return invalidRequest("The request body must be a JSON object.");
    }
    json chat = json::object();
    for (const auto& [name, value] : request.items()) {
        if (value.is_null()) {
            continue;
        }
        if (name == "prompt") {
            auto text = promptText(value);
            if (!text.ok()) {
                return text.error();
            }
            chat["messages"] = json::array({{{"role", "user"}, {"content", text.value()}}});
            continue;
        }
        if (auto refused = refuseLegacyOnly(name, value)) {
            return *refused;
        }
        if (name == "best_of" || name == "echo" || name == "suffix") {
            continue;  // their neutral values
        }
        if (!isOneOf(name, kSharedWithChat)) {
            return unsupportedParameter(name);
        }
        chat[name] = value;
    }
    if (!chat.contains("messages") && chat.contains("model")) {
        return missingParameter("prompt");
    }
    return translateChatRequest(chat);
}

}  // namespace sluice::plugins::route_openai
