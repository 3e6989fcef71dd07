#pragma once

#include <nlohmann/json.hpp>
#include <optional>

namespace sluice::plugins::route_openai {

// Legacy Completions answers are the chat answers (chat_completion.hpp, chat_stream.hpp)
// reshaped, so both endpoints share one translation of the upstream's Responses events.

/// The text_completion object for a chat.completion: the assistant's text (or its refusal)
/// as the one choice's `text`, with the same finish_reason, id, created, model and usage. Pure.
nlohmann::json textCompletion(const nlohmann::json& chat_completion);

/// The text_completion chunk for a chat.completion.chunk, or nullopt for a chunk that has no
/// text_completion counterpart (the opening role announcement). The usage chunk keeps its
/// empty choices. Pure.
std::optional<nlohmann::json> textCompletionChunk(nlohmann::json chat_chunk);

}  // namespace sluice::plugins::route_openai
