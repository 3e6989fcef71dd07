#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_backend {

/// A whole upstream answer, kept in memory (WHAM and file bodies are small JSON).
struct Collected {
    sdk::DispatchOutcome outcome;
    int status = 0;
    sdk::Headers headers;  ///< the allow-listed upstream headers
    std::string body;

    /// Completed with a 2xx status.
    bool ok() const noexcept;
    /// The body as JSON (discarded when it is not JSON).
    nlohmann::json json() const;
};

/// Dispatches `request` and keeps the answer. Request thread.
Collected collect(sdk::Gateway& gateway, const sdk::DispatchRequest& request);

/// Sends a collected answer to the client as the upstream gave it (status, JSON body), or the
/// gateway's typed error when no upstream answer was reached.
void answerCollected(sdk::Exchange& exchange, sdk::RouteFamily& family, const Collected& collected);

/// Dispatches `request` and relays the answer as it arrives (status, headers, body); returns
/// the dispatch's outcome. Request thread.
sdk::DispatchOutcome relay(sdk::Exchange& exchange, sdk::RouteFamily& family,
                           const sdk::DispatchRequest& request);

/// Ids of the caller's pool's accounts that can serve now (operation pool.accounts), in the
/// pool's order; empty when there are none or they cannot be read.
std::vector<std::string> eligibleAccounts(sdk::Gateway& gateway);

}  // namespace sluice::plugins::route_backend
