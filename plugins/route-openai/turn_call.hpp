#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sluice::plugins::route_openai {

/// What every /v1 model turn carries once translated to a Codex backend Responses request.
struct TurnCall {
    nlohmann::json
        body;  ///< the upstream Responses request: always streamed, never stored upstream
    std::string model;
    bool client_stream = false;  ///< the client asked for a stream (else one JSON object)
    std::string prompt_cache_key;
    bool store = false;  ///< the client asked for the answer to be kept (when the store is on)
    nlohmann::json metadata = nlohmann::json::object();  ///< the client's metadata, kept with it
};

}  // namespace sluice::plugins::route_openai
