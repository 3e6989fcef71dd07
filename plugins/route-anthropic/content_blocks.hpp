#pragma once

#include <nlohmann/json.hpp>
#include <variant>

#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_anthropic {

/// A translated value, or the client error that stopped the translation.
template <class T>
using Translated = std::variant<T, sdk::ErrorInfo>;

/// Anthropic `messages` as Responses input items, in order: user text and images -> a user
/// message (input_text, input_image), tool_result -> function_call_output (is_error prefixes
/// "Error: "), assistant text -> an assistant message (output_text), tool_use ->
/// function_call with its input as JSON arguments; thinking and redacted_thinking are dropped
/// (the pool's models cannot read another model's reasoning). Pure.
Translated<nlohmann::json> translateConversation(const nlohmann::json& messages);

/// `system` (a string or text blocks) as one developer message, or null when empty. Pure.
Translated<nlohmann::json> systemMessage(const nlohmann::json& system);

}  // namespace sluice::plugins::route_anthropic
