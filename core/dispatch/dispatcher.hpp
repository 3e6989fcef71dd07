#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/dispatch/dispatch_metrics.hpp"
#include "core/dispatch/failover_engine.hpp"
#include "core/dispatch/handoff_sink.hpp"
#include "core/dispatch/response_history.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "core/dispatch/token_renewal.hpp"
#include "core/dispatch/upstream_attempt.hpp"
#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/logger.hpp"

namespace sluice::core::dispatch {

/// The data plane: for a caller's pool, walks the accounts of its FailoverEngine (the strategy's
/// order, up to the pool's ring size), runs each attempt, fails over only while nothing has
/// reached the client, and turns how the walk ended into the client's outcome.
/// Thread-safe; one call per request thread.
class Dispatcher final {
public:
    /// `response_owners` remembers which account produced each response, for continuations;
    /// `history` what continuing each response of a pool allowing a handoff means;
    /// `renewal` renews an account's token, behind the request, when the upstream answers 401.
    Dispatcher(routing::RoutingTable& routing, routing::RoutePlanner& planner,
               routing::AffinityTable& response_owners, ResponseHistory& history,
               const UpstreamAttempt& attempt, TokenRenewal& renewal, DispatchMetrics& metrics,
               const sdk::Clock& clock, sdk::Logger& logger);

    sdk::DispatchOutcome dispatch(const sdk::Principal& caller, const sdk::DispatchRequest& request,
                                  sdk::DispatchSink& sink, RoutingTrace& trace);

private:
    /// Plans, attempts and settles the request in `pool`.
    sdk::DispatchOutcome dispatchOn(const routing::PoolRoute& pool, const sdk::Principal& caller,
                                    const sdk::DispatchRequest& request, sdk::DispatchSink& sink,
                                    RoutingTrace& trace);
    /// dispatchOn for a pool allowing a handoff: keeps the history of the response it completes,
    /// and hands a conversation whose pinned account is gone off to another account (`notice`
    /// set once it was).
    sdk::DispatchOutcome dispatchRecorded(const routing::PoolRoute& pool,
                                          const sdk::Principal& caller,
                                          const sdk::DispatchRequest& request,
                                          sdk::DispatchSink& sink, RoutingTrace& trace,
                                          const HandoffNotice* notice);
    /// Replays `history` and the request, sanitised, on any account; none when it cannot.
    std::optional<sdk::DispatchOutcome> handOff(const routing::PoolRoute& pool,
                                                const sdk::Principal& caller,
                                                const sdk::DispatchRequest& request,
                                                const nlohmann::json& body,
                                                const nlohmann::json& history,
                                                sdk::DispatchSink& sink, RoutingTrace& trace);
    sdk::DispatchOutcome reject(sdk::ErrorInfo error, RoutingTrace& trace);
    /// reject() without counting it, for an answer that may yet be replaced (a handoff).
    sdk::DispatchOutcome refusal(sdk::ErrorInfo error, RoutingTrace& trace);
    /// The outcome of the request's last attempt, which answered the client.
    sdk::DispatchOutcome answered(const routing::PoolRoute& pool, const routing::RouteQuery& query,
                                  const routing::RoutedAccount& account, AttemptResult result,
                                  RoutingTrace& trace);
    /// The outcome when the walk ended without an answer: the pool's quota is used up, every
    /// account tried failed, or none could serve.
    sdk::DispatchOutcome unanswered(const FailoverEngine& engine, const sdk::Principal& caller,
                                    const routing::RouteQuery& query, const std::string& pin_reason,
                                    RoutingTrace& trace);
    /// The outcome of an attempt the shutdown cut short: a 503 before the commit, else an
    /// interruption; both with the code `server_shutting_down`. Judges no account.
    sdk::DispatchOutcome cutShort(const AttemptResult& result, RoutingTrace& trace);

    routing::RoutingTable& routing_;
    routing::RoutePlanner& planner_;
    routing::AffinityTable& response_owners_;
    ResponseHistory& history_;
    const UpstreamAttempt& attempt_;
    TokenRenewal& renewal_;
    DispatchMetrics& metrics_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
};

}  // namespace sluice::core::dispatch
