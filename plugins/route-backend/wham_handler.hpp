#pragma once

#include <optional>
#include <string>

#include "backend_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/route_family.hpp"

namespace sluice::plugins::route_backend {

/// WHAM requests that concern one account: a task (detail, turns, logs, actions, its turn
/// stream), an environment, task creation, and per-account reads and settings. Tasks and
/// environments go to the account that owns them (OwnerMap; unknown ids are looked for on
/// the pool's accounts), everything else where the pool routes it. Bodies are relayed, never
/// logged: environments carry secrets.
class WhamHandler final {
public:
    WhamHandler(BackendContext& context, sdk::RouteFamily& family)
        : context_(context), family_(family) {}

    void createTask(sdk::Exchange& exchange);
    void task(sdk::Exchange& exchange);
    void taskStream(sdk::Exchange& exchange);
    void environment(sdk::Exchange& exchange);
    /// The pool's settings documents (settings/user, code_review, configs): one per pool, on
    /// the account that served the pool's last settings request while that account can serve,
    /// so a PATCH and every later GET see the same document. Moves only when it cannot.
    void settings(sdk::Exchange& exchange);
    void proxy(sdk::Exchange& exchange);
    /// An event stream on one account of the pool (environments/test).
    void proxyStream(sdk::Exchange& exchange);

private:
    /// The upstream request for the client's: same method, WHAM suffix and query, allow-listed
    /// headers and body.
    std::optional<sdk::DispatchRequest> forwarded(sdk::Exchange& exchange) const;
    /// The account owning `id` of kind `kind`: remembered, or found by probeOwner() unless
    /// recently found missing. Answers 404 itself (and returns nullopt) when no account has it.
    std::optional<std::string> ownerOf(sdk::Exchange& exchange, OwnerMap& owners,
                                       const std::string& id, const char* kind);
    /// GET <kind>s/<id> on at most `owner_probe_limit` eligible accounts, in pool order; the
    /// owner is remembered, and an id every asked account answered 404 for is remembered missing.
    std::optional<std::string> probeOwner(sdk::Exchange& exchange, OwnerMap& owners,
                                          const std::string& id, const char* kind,
                                          sdk::TimePoint now);
    /// forwarded(), pinned to the account owning the `{id_param}` id of kind `kind` ("task",
    /// "environment"); nullopt once answered.
    std::optional<sdk::DispatchRequest> forwardedToOwner(sdk::Exchange& exchange, OwnerMap& owners,
                                                         const char* id_param, const char* kind);
    /// Dispatches an upstream event stream and relays it event by event; a stream that breaks
    /// ends with an `error` event.
    void relayStream(sdk::Exchange& exchange, sdk::DispatchRequest& request);

    BackendContext& context_;
    sdk::RouteFamily& family_;
};

}  // namespace sluice::plugins::route_backend
