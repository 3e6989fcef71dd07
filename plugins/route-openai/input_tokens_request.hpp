#pragma once

#include <nlohmann/json.hpp>

#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// Reads a `POST /responses/input_tokens` (also `/responses/count_tokens`) request into the
/// Responses body whose input tokens it asks for: `instructions`, `input` (normalized as for
/// Responses) and `tools`. `model`, `tool_choice`, `parallel_tool_calls`, `reasoning`, `text`
/// and `truncation` are accepted and do not change the count; `conversation` and
/// `previous_response_id` are 400 unsupported_parameter (the gateway keeps no stored state to
/// count), as is anything else. Pure.
Translated<nlohmann::json> translateInputTokensRequest(const nlohmann::json& request);

}  // namespace sluice::plugins::route_openai
