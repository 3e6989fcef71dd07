#pragma once

#include <nlohmann/json.hpp>

#include "chat_request.hpp"
#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// Translates a legacy Completions request into the Chat Completions request it means (the
/// prompt as one user message) and then exactly as chat does (translateChatRequest): model,
/// stream, stream_options, max_tokens, temperature, top_p, stop, penalties, seed, logit_bias and
/// user follow the chat rules. `prompt` is a string or an array holding one string. Refused
/// with 400 unsupported_parameter: n or best_of other than 1, echo, logprobs, a non-empty
/// suffix (each would need an answer the backend cannot give) and anything else the legacy
/// endpoint does not define. Pure.
Translated<ChatCall> translateCompletionRequest(const nlohmann::json& request);

}  // namespace sluice::plugins::route_openai
