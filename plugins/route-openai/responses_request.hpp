#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "translated.hpp"
#include "turn_call.hpp"

namespace sluice::plugins::route_openai {

/// A Responses request made ready for the Codex backend, plus what the gateway needs to
/// route it and to answer the client.
struct ResponsesCall : TurnCall {
    std::string previous_response_id;  ///< hard pin to the account that produced it
};

/// Normalizes an OpenAI Responses request to the Codex backend dialect: string input becomes a
/// user message, `system` messages become `developer` messages in place, easy messages get
/// their type, parameters the backend rejects are dropped, `stream: true`, `store: false` and
/// `include: ["reasoning.encrypted_content"]` are forced, and any parameter outside the
/// allow-list is a 400 unsupported_parameter naming it. Pure; safe from any thread.
Translated<ResponsesCall> normalizeResponsesRequest(const nlohmann::json& request);

/// Normalizes a compaction request (`POST /responses/compact`) to the backend's CompactionInput:
/// model, input (normalized as for Responses), instructions, tools, parallel_tool_calls,
/// reasoning, text, prompt_cache_key and service_tier are kept; stream, store and include are
/// accepted and dropped (the answer is one JSON object, never stored); anything else is a 400
/// unsupported_parameter naming it. Pure; safe from any thread.
Translated<TurnCall> normalizeCompactRequest(const nlohmann::json& request);

/// Adds the fields every upstream Responses request carries (instructions, reasoning,
/// include, stream, store) to a body built by a translator.
void applyBackendDefaults(nlohmann::json& body);

/// Normalizes the `input` of a Responses request (a string or a list of items); `path` names
/// it in errors.
Translated<nlohmann::json> normalizeInput(const nlohmann::json& input, const std::string& path);

}  // namespace sluice::plugins::route_openai
