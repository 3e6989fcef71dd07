#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "translated.hpp"
#include "turn_call.hpp"

namespace sluice::plugins::route_openai {

/// A Chat Completions request translated to a Codex backend Responses request.
/// A streamed client is answered with chat.completion.chunk events.
struct ChatCall : TurnCall {
    bool include_usage = false;  ///< stream_options.include_usage: a final usage chunk
    nlohmann::json messages;     ///< the client's messages, when it asked for `store: true`
};

/// Translates a Chat Completions request: messages (chat_messages.hpp), function and custom
/// tools, tool_choice, parallel_tool_calls, response_format -> text.format, verbosity ->
/// text.verbosity, reasoning_effort -> reasoning.effort, prompt_cache_key and service_tier.
/// max_tokens / max_completion_tokens, temperature, top_p, metadata, store,
/// safety_identifier and prompt_cache_retention are accepted and not forwarded (the backend
/// rejects output limits and sampling settings). Parameters the backend cannot honour (n,
/// logprobs, stop, seed, penalties, audio, ...) are 400 unsupported_parameter unless they
/// carry their neutral value (null, n: 1, logprobs: false, penalties 0, modalities ["text"]);
/// so are the legacy `functions` / `function_call` and anything unknown. Pure.
Translated<ChatCall> translateChatRequest(const nlohmann::json& request);

}  // namespace sluice::plugins::route_openai
