#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

#include "sluice/sdk/gateway.hpp"
#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// Dispatches a streamed Responses request for a client that waits for one answer and
/// returns the finished response object (completed or incomplete), or the /v1 error to
/// answer with: the gateway's or the redacted upstream failure, a failed response's code, a
/// stream cut short, or an answer larger than `max_bytes`. `kept` receives the upstream
/// headers the translated answer carries (its x-request-id). Request thread.
Translated<nlohmann::json> collectTurn(sdk::Gateway& gateway, const sdk::DispatchRequest& request,
                                       std::uint64_t max_bytes, sdk::DispatchOutcome& outcome,
                                       sdk::Headers& kept);

}  // namespace sluice::plugins::route_openai
