#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace sluice::emulator {

/// What the emulator needs from a Responses request body (HTTP or a websocket response.create).
struct TurnRequest {
    std::string model;
    bool stream = true;    ///< Codex always streams; `"stream": false` asks for plain JSON
    bool generate = true;  ///< websocket prewarm sends false
    std::size_t input_items = 0;
    std::string last_input_type;  ///< type of the last input item ("message" for bare strings)
    bool has_function_call_output = false;
    bool has_encrypted_content = false;  ///< an input item carries encrypted_content (reasoning)
    std::optional<std::string> previous_response_id;
    std::optional<std::string> reasoning_effort;  ///< `reasoning.effort`, when given
    bool image_generation = false;                ///< `tools` holds an image_generation tool
    std::vector<std::string> file_ids;            ///< every `file_id` the input references
    /// `request_kind` (top level, or in client_metadata's x-codex-turn-metadata): turn, prewarm,
    /// compaction, ...
    std::optional<std::string> request_kind;
    /// client_metadata's x-codex-turn-state (websocket turn state in frames, §12).
    std::optional<std::string> turn_state;
};

/// nullopt (with `error` set) when `body` is not a Responses request object.
std::optional<TurnRequest> parseTurnRequest(const nlohmann::json& body, std::string& error);

}  // namespace sluice::emulator
