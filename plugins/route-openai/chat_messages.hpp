#pragma once

#include <nlohmann/json.hpp>

#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// Translates Chat Completions `messages` into Responses input items, in order:
/// - system and developer messages become developer messages where they stand (an empty one
///   is dropped: it instructs nothing);
/// - user text, image_url and file parts become input_text, input_image and input_file parts
///   (empty content stays one empty input_text, so turns keep alternating);
/// - assistant text and refusals become an assistant message (omitted when empty) followed by
///   one function_call / custom_tool_call item per tool call;
/// - tool messages become function_call_output (or custom_tool_call_output for a custom call).
/// Audio parts, `function` messages and unknown fields are 400s naming their path. Pure.
Translated<nlohmann::json> translateMessages(const nlohmann::json& messages);

}  // namespace sluice::plugins::route_openai
