#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "responses_request.hpp"
#include "translated.hpp"

namespace sluice::plugins::route_openai {

// POST /responses/{id}/compact over a kept response, the way Codex 0.169 compacts: a normal
// Responses turn whose input is the conversation followed by {"type":"compaction_trigger"},
// answered with exactly one `compaction` item. Pure; safe from any thread.

/// The turn that compacts a kept response, and the conversation it compacts.
struct CompactionCall {
    ResponsesCall call;           ///< for the kept response's model and instructions
    nlohmann::json conversation;  ///< its input items then its output items, ids kept
};

/// The compaction turn of the kept response `document` (`{"response", "input_items"}`, as
/// responseDocument() writes it). Item ids are left out of what goes upstream: the backend
/// keeps nothing (`store: false`), so it knows no id. A 400 response_not_compactable when the
/// response has not finished or has no output.
Translated<CompactionCall> compactionCall(const nlohmann::json& document, const std::string& id);

/// OpenAI's answer to a compaction (`object: "response.compaction"`): the finished upstream
/// `response`'s id, created_at and usage, and as output the conversation's user messages
/// followed by the one compaction item. A 502 when the upstream did not answer exactly one
/// compaction item and nothing else.
Translated<nlohmann::json> compactionAnswer(const nlohmann::json& response,
                                            const nlohmann::json& conversation);

}  // namespace sluice::plugins::route_openai
