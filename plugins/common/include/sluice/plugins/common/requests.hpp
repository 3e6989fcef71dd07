#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::common {

/// The request body as a JSON object, or nullopt after answering 400 (or the host's 413) through
/// `family`'s dialect.
std::optional<nlohmann::json> readJsonObject(sdk::Exchange& exchange, sdk::RouteFamily& family);

/// The conversation a request belongs to, from the session headers clients send
/// (session-id, session_id, x-codex-session-id, thread-id, x-codex-window-id, ...); empty if none.
std::string sessionKey(const sdk::Exchange& exchange);

/// The client's headers whose names are in `allowed` (case-insensitive), for forwarding.
sdk::Headers forwardable(const sdk::Exchange& exchange, const std::vector<std::string>& allowed);

/// Answers a dispatch that reached no client byte: the upstream's own answer when there was one
/// and `pass_through` is set (backend clients read e.g. a 429 usage_limit_reached body), else the
/// gateway's typed error through `family`.
void answerRejected(sdk::Exchange& exchange, sdk::RouteFamily& family,
                    const sdk::DispatchOutcome& outcome, bool pass_through);

sdk::ErrorInfo invalidRequest(std::string message, std::string param = {});

}  // namespace sluice::plugins::common
