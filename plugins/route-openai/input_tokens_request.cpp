#include "input_tokens_request.hpp"

#include <array>
#include <string>
#include <string_view>

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "responses_request.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 9> kParameters{
    "model",     "input", "instructions", "tools", "tool_choice", "parallel_tool_calls",
    "reasoning", "text",  "truncation"};

}  // namespace

Translated<json> translateInputTokensRequest(const json& request) {
    if (!request.is_object()) {
        return invalidRequest("The request body must be a JSON object.");
    }
    json counted = json::object();
    for (const auto& [name, value] : request.items()) {
        if (value.is_null()) {
            continue;
        }
        if (name == "conversation" || name == "previous_response_id") {
            return unsupportedParameter(
                name, "the gateway keeps no stored conversations or responses to count");
        }
        if (!isOneOf(name, kParameters)) {
            return unsupportedParameter(name);
        }
        if ((name == "model" || name == "instructions") && !value.is_string()) {
            return invalidValue(name, "'" + name + "' must be a string.");
        }
        if (name == "instructions") {
            counted["instructions"] = value;
        } else if (name == "tools") {
            if (!value.is_array()) {
                return invalidValue(name, "'tools' must be an array.");
            }
            counted["tools"] = value;
        } else if (name == "input") {
            if (!value.is_string() && !value.is_array()) {
                return invalidValue(name, "'input' must be a string or an array of items.");
            }
            auto input = normalizeInput(value, "input");
            if (!input.ok()) {
                return input.error();
            }
            counted["input"] = std::move(input).value();
        }
    }
    return counted;
}

}  // namespace sluice::plugins::route_openai
