#include "core/dispatch/dispatcher.hpp"

#include "core/dispatch/failover_engine.hpp"
#include "core/dispatch/handoff_sanitiser.hpp"
#include "core/dispatch/handoff_sink.hpp"
#include "core/dispatch/pool_exhaustion.hpp"
#include "core/security/bounded_json.hpp"

namespace sluice::core::dispatch {

namespace {

constexpr std::string_view kPinnedUnavailable = "pinned_account_unavailable";

std::string describeExclusions(const std::vector<routing::Exclusion>& excluded) {
    std::string text;
    for (const auto& exclusion : excluded) {
        text += (text.empty() ? "" : "; ") + exclusion.label + ": " + exclusion.reason;
    }
    return text;
}

// The answer when the account a conversation is pinned to cannot serve it, with when it can.
sdk::ErrorInfo pinnedUnavailable(const std::string& pin_reason,
                                 const std::vector<routing::Exclusion>& excluded,
                                 sdk::TimePoint now) {
    sdk::ErrorInfo error{503,
                         "server_error",
                         std::string(kPinnedUnavailable),
                         "the account this conversation is pinned to (" + pin_reason +
                             ") cannot serve it now: " + describeExclusions(excluded) +
                             "; start over without the pinned reference",
                         "",
                         routing::retryAfterSeconds(routing::earliestEligible(excluded), now),
                         "restart_with_full_context"};
    if (excluded.empty()) {
        error.message =
            "the account this conversation is pinned to no longer exists; "
            "start over without the pinned reference";
    }
    return error;
}

// Why the pinned account could not go on: its live failure, or why the planner left it out.
std::string stuckReason(const RoutingTrace& trace) {
    if (!trace.attempts.empty()) {
        return trace.attempts.back().reason;
    }
    return trace.excluded.empty() ? "account_removed" : trace.excluded.front().reason;
}

/// Tells the engine when an attempt's answer starts to reach the client.
class CommitWatch final : public sdk::DispatchSink {
public:
    CommitWatch(sdk::DispatchSink& client, FailoverEngine& engine)
        : client_(client), engine_(engine) {}
    void onCommit(const sdk::UpstreamHead& head) noexcept override {
        engine_.commit();
        client_.onCommit(head);
    }
    bool onEvent(const sdk::SseEvent& event) noexcept override { return client_.onEvent(event); }
    bool onBody(std::string_view bytes) noexcept override { return client_.onBody(bytes); }
    bool onIdle() noexcept override { return client_.onIdle(); }

private:
    sdk::DispatchSink& client_;
    FailoverEngine& engine_;
};

}  // namespace

Dispatcher::Dispatcher(routing::RoutingTable& routing, routing::RoutePlanner& planner,
                       routing::AffinityTable& response_owners, ResponseHistory& history,
                       const UpstreamAttempt& attempt, TokenRenewal& renewal,
                       DispatchMetrics& metrics, const sdk::Clock& clock, sdk::Logger& logger)
    : routing_(routing),
      planner_(planner),
      response_owners_(response_owners),
      history_(history),
      attempt_(attempt),
      renewal_(renewal),
      metrics_(metrics),
      clock_(clock),
      logger_(logger) {}

sdk::DispatchOutcome Dispatcher::reject(sdk::ErrorInfo error, RoutingTrace& trace) {
    metrics_.rejected(error.code);
    return refusal(std::move(error), trace);
}

sdk::DispatchOutcome Dispatcher::refusal(sdk::ErrorInfo error, RoutingTrace& trace) {
    trace.error_code = error.code;
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error = std::move(error);
    outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
    return outcome;
}

sdk::DispatchOutcome Dispatcher::dispatch(const sdk::Principal& caller,
                                          const sdk::DispatchRequest& request,
                                          sdk::DispatchSink& sink, RoutingTrace& trace) {
    const routing::RoutingSnapshotPtr snapshot = routing_.snapshot();
    const routing::PoolRoute* pool = snapshot->pool(caller.pool);
    trace.model = request.model;
    trace.route_class = sdk::routeClassName(request.route_class);
    if (pool == nullptr || pool->strategy == nullptr) {
        return reject(
            {503, "server_error", "pool_unavailable",
             pool == nullptr ? "pool '" + caller.pool + "' is not available"
                             : "pool '" + caller.pool + "' names a strategy that is not configured",
             "", 0, ""},
            trace);
    }
    const bool conversation =
        request.route_class == sdk::RouteClass::ProxyStream ||
        (request.route_class == sdk::RouteClass::ProxyHttp && request.method == "POST");
    sdk::DispatchOutcome outcome =
        pool->pool.handoff && conversation
            ? dispatchRecorded(*pool, caller, request, sink, trace, nullptr)
            : dispatchOn(*pool, caller, request, sink, trace);
    if (outcome.error.code == kPinnedUnavailable) {
        metrics_.rejected(kPinnedUnavailable);  // counted once it is final: not handed off
    }
    return outcome;
}

sdk::DispatchOutcome Dispatcher::dispatchRecorded(const routing::PoolRoute& pool,
                                                  const sdk::Principal& caller,
                                                  const sdk::DispatchRequest& request,
                                                  sdk::DispatchSink& sink, RoutingTrace& trace,
                                                  const HandoffNotice* notice) {
    const nlohmann::json body = security::parseJson(request.body);
    ResponseHistory::Recorded prior;
    if (!request.previous_response_id.empty()) {
        prior = history_.lookup(pool.pool.name, request.previous_response_id);
    }
    TurnRecorder recorder(history_.maxBytes());
    recorder.begin(continuedInput(body, prior.items.get()).value_or(nlohmann::json()),
                   request.body.size() + prior.bytes);
    HandoffSink recording(sink, recorder, request.event_stream, notice);
    sdk::DispatchOutcome outcome = dispatchOn(pool, caller, request, recording, trace);
    if (outcome.status == sdk::DispatchStatus::Completed) {
        std::size_t bytes = 0;
        if (auto items = recorder.finish(bytes)) {
            history_.remember(pool.pool.name, recorder.responseId(), std::move(*items), bytes);
        }
        return outcome;
    }
    const bool stuck = outcome.error.code == kPinnedUnavailable && request.pinned_account.empty() &&
                       prior.items != nullptr;
    if (!stuck || notice != nullptr) {
        return outcome;
    }
    return handOff(pool, caller, request, body, *prior.items, sink, trace).value_or(outcome);
}

std::optional<sdk::DispatchOutcome> Dispatcher::handOff(
    const routing::PoolRoute& pool, const sdk::Principal& caller,
    const sdk::DispatchRequest& request, const nlohmann::json& body, const nlohmann::json& history,
    sdk::DispatchSink& sink, RoutingTrace& trace) {
    std::optional<HandoffReplay> replay = handoffReplay(body, history);
    if (!replay) {
        return std::nullopt;
    }
    HandoffNotice notice{request.previous_response_id, stuckReason(trace), replay->replayed_items,
                         replay->dropped_items};
    sdk::DispatchRequest moved = request;
    moved.body = replay->body;
    moved.previous_response_id.clear();
    logger_.info("conversation_handed_off",
                 {{"pool", pool.pool.name},
                  {"reason", notice.reason},
                  {"replayed_items", std::to_string(notice.replayed_items)},
                  {"dropped_items", std::to_string(notice.dropped_items)}});
    metrics_.handoff();
    trace.order.clear();  // the replay is planned afresh
    trace.error_code.clear();
    return dispatchRecorded(pool, caller, moved, sink, trace, &notice);
}

sdk::DispatchOutcome Dispatcher::dispatchOn(const routing::PoolRoute& pool,
                                            const sdk::Principal& caller,
                                            const sdk::DispatchRequest& request,
                                            sdk::DispatchSink& sink, RoutingTrace& trace) {
    routing::RouteQuery query{request.model, request.route_class, request.session_key,
                              request.prompt_cache_key, request.pinned_account};
    std::string pin_reason = request.pin_reason;
    if (query.pinned_account.empty() && !request.previous_response_id.empty()) {
        // Only the account that produced a response can continue it.
        if (auto owner = response_owners_.lookup(pool.pool.name, request.previous_response_id,
                                                 clock_.now())) {
            query.pinned_account = std::move(*owner);
            pin_reason = "previous_response";
        }
    }
    const auto answer_by = clock_.steadyNow() + attempt_.timing().answer_deadline;
    FailoverEngine engine({planner_, renewal_, metrics_, clock_, logger_}, pool, query, trace,
                          answer_by);
    while (const routing::RoutedAccountPtr account = engine.next()) {
        CommitWatch watch(sink, engine);
        // Known before the client has the whole answer, so a continuation sent the moment it
        // arrives finds its account.
        const auto claim = [&](const std::string& response_id) {
            response_owners_.remember(pool.pool.name, response_id, account->id, clock_.now());
        };
        account->state->in_flight.fetch_add(1, std::memory_order_relaxed);
        AttemptResult result =
            attempt_.run(*account, request, watch, request.allow_failover, answer_by, claim);
        account->state->in_flight.fetch_sub(1, std::memory_order_relaxed);
        if (result.failure == Failure::Shutdown) {
            engine.abandon(*account, result);
            return cutShort(result, trace);
        }
        if (result.end == AttemptEnd::Failover) {
            engine.failOver(*account, result);
            continue;
        }
        engine.finish(*account, result);
        return answered(pool, query, *account, std::move(result), trace);
    }
    if (engine.pinnedRefused()) {
        return refusal(pinnedUnavailable(pin_reason, trace.excluded, clock_.now()), trace);
    }
    return unanswered(engine, caller, query, pin_reason, trace);
}

sdk::DispatchOutcome Dispatcher::answered(const routing::PoolRoute& pool,
                                          const routing::RouteQuery& query,
                                          const routing::RoutedAccount& account,
                                          AttemptResult result, RoutingTrace& trace) {
    sdk::DispatchOutcome outcome;
    outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
    outcome.usage = result.usage;
    trace.usage = result.usage;
    trace.response_id = result.response_id;
    trace.conversation_key = std::string(routing::RoutePlanner::continuityKey(query));
    trace.account_id = account.id;
    trace.account_label = account.label;
    outcome.account_id = account.id;
    switch (result.end) {
        case AttemptEnd::Completed:
            outcome.status = sdk::DispatchStatus::Completed;
            if (const auto key = routing::RoutePlanner::continuityKey(query); !key.empty()) {
                planner_.affinities().remember(pool.pool.name, key, account.id, clock_.now());
            }
            break;
        case AttemptEnd::ClientGone:
            outcome.status = sdk::DispatchStatus::ClientGone;
            trace.error_code = "client_gone";
            break;
        case AttemptEnd::Interrupted:
            outcome.status = sdk::DispatchStatus::Interrupted;
            outcome.error = {502,
                             "server_error",
                             "upstream_stream_interrupted",
                             "the upstream stream ended before the response was complete",
                             "",
                             0,
                             ""};
            trace.error_code = result.reason;
            break;
        case AttemptEnd::PassThrough:
        case AttemptEnd::Failover:
            outcome.status = sdk::DispatchStatus::Rejected;
            outcome.error = {result.upstream.status > 0 ? result.upstream.status : 502,
                             "server_error",
                             "upstream_failed",
                             "the upstream request failed (" + result.reason + ")",
                             "",
                             0,
                             ""};
            outcome.upstream = std::move(result.upstream);
            trace.error_code = result.reason;
            break;
    }
    return outcome;
}

sdk::DispatchOutcome Dispatcher::unanswered(const FailoverEngine& engine,
                                            const sdk::Principal& caller,
                                            const routing::RouteQuery& query,
                                            const std::string& pin_reason, RoutingTrace& trace) {
    const std::optional<AttemptResult>& last_failure = engine.lastFailure();
    std::vector<routing::Exclusion> blocked = engine.blocked();
    if (!query.pinned_account.empty() && last_failure && last_failure->quota.blocked_until) {
        // The pinned account just reached its limit: the conversation cannot go on there, and
        // the client must hear how to go on, as when the limit was known before.
        return refusal(pinnedUnavailable(pin_reason, blocked, clock_.now()), trace);
    }
    blocked.insert(blocked.end(), trace.excluded.begin(), trace.excluded.end());
    // The walk ended with quota failures only: exhausted if no account is left either.
    const bool ran_out =
        engine.ranOut() || (engine.onlyQuotaFailures() && last_failure && engine.noneLeft());
    if (ran_out && engine.onlyQuotaFailures() && poolExhausted(blocked)) {
        metrics_.rejected("usage_limit_reached");
        trace.error_code = "usage_limit_reached";
        sdk::DispatchOutcome outcome = exhaustedOutcome(blocked, caller.pool, clock_.now());
        outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
        return outcome;
    }
    if (last_failure) {
        // Every account tried failed: report the last upstream answer (e.g. its 429 body).
        const FailureRule& rule = ruleFor(last_failure->failure.value_or(Failure::NetworkError));
        trace.error_code = last_failure->reason;
        metrics_.rejected("upstream_failed");
        sdk::DispatchOutcome outcome;
        outcome.status = sdk::DispatchStatus::Rejected;
        outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
        const int status =
            last_failure->upstream.status > 0 ? last_failure->upstream.status : rule.client_status;
        outcome.error = {status,
                         status == 429 ? "rate_limit_error" : "server_error",
                         std::string(rule.client_code),
                         "every account tried failed; last: " + last_failure->reason,
                         "",
                         0,
                         ""};
        if (rule.retry_after) {
            // The earliest any account can serve again: one the planner left out, or one a
            // failure just blocked.
            outcome.error.retry_after_seconds =
                routing::retryAfterSeconds(routing::earliestEligible(blocked), clock_.now());
        }
        outcome.upstream = last_failure->upstream;
        return outcome;
    }
    const std::string why =
        trace.excluded.empty() ? "the pool has no accounts" : describeExclusions(trace.excluded);
    return reject(
        {503, "server_error", "no_eligible_account",
         "no account in pool '" + caller.pool + "' can serve this request: " + why, "",
         routing::retryAfterSeconds(routing::earliestEligible(trace.excluded), clock_.now()), ""},
        trace);
}

sdk::DispatchOutcome Dispatcher::cutShort(const AttemptResult& result, RoutingTrace& trace) {
    sdk::ErrorInfo error{503,
                         "server_error",
                         std::string(ruleFor(Failure::Shutdown).client_code),
                         "the gateway is shutting down; retry the request",
                         "",
                         0,
                         ""};
    if (result.end != AttemptEnd::Interrupted) {
        return reject(std::move(error), trace);
    }
    trace.error_code = error.code;
    trace.usage = result.usage;
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Interrupted;
    outcome.error = std::move(error);
    outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
    outcome.usage = result.usage;
    return outcome;
}

}  // namespace sluice::core::dispatch
