#include "core/dispatch/dispatcher.hpp"

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

sdk::OutcomeKind outcomeKind(const AttemptResult& result) {
    if (result.end == AttemptEnd::Completed || result.end == AttemptEnd::ClientGone) {
        return sdk::OutcomeKind::Success;
    }
    if (result.reason == "usage_limit_reached") {
        return sdk::OutcomeKind::QuotaExhausted;
    }
    if (result.reason == "upstream_429") {
        return sdk::OutcomeKind::RateLimited;
    }
    if (result.reason == "network_error" || result.reason == "upstream_timeout") {
        return sdk::OutcomeKind::NetworkError;
    }
    if (result.end == AttemptEnd::PassThrough && !result.account_fault) {
        return sdk::OutcomeKind::Rejected;
    }
    return sdk::OutcomeKind::ServerError;
}

}  // namespace

Dispatcher::Dispatcher(routing::RoutingTable& routing, routing::RoutePlanner& planner,
                       routing::AffinityTable& response_owners, ResponseHistory& history,
                       const UpstreamAttempt& attempt, lifecycle::TokenRefresher& refresher,
                       DispatchMetrics& metrics, const sdk::Clock& clock, sdk::Logger& logger)
    : routing_(routing),
      planner_(planner),
      response_owners_(response_owners),
      history_(history),
      attempt_(attempt),
      refresher_(refresher),
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

sdk::DispatchOutcome Dispatcher::dispatchOn(const routing::PoolRoute& pool_route,
                                            const sdk::Principal& caller,
                                            const sdk::DispatchRequest& request,
                                            sdk::DispatchSink& sink, RoutingTrace& trace) {
    const routing::PoolRoute* pool = &pool_route;
    routing::RouteQuery query{request.model, request.route_class, request.session_key,
                              request.prompt_cache_key, request.pinned_account};
    std::string pin_reason = request.pin_reason;
    if (query.pinned_account.empty() && !request.previous_response_id.empty()) {
        // Only the account that produced a response can continue it.
        if (auto owner = response_owners_.lookup(pool->pool.name, request.previous_response_id,
                                                 clock_.now())) {
            query.pinned_account = std::move(*owner);
            pin_reason = "previous_response";
        }
    }
    const std::size_t ring = pool->pool.ring_size;
    const auto answer_by = clock_.steadyNow() + attempt_.timing().answer_deadline;
    std::vector<std::string> tried;
    std::optional<AttemptResult> last_failure;
    std::vector<routing::Exclusion> blocked;  ///< accounts a failure excluded, with their reset
    bool ran_out = false;                     ///< no eligible account was left to try
    // A pinned conversation sees only its account; the pool may well have others.
    bool only_quota_failures = query.pinned_account.empty();

    for (std::uint32_t attempt = 0; attempt < ring; ++attempt) {
        if (attempt > 0 && clock_.steadyNow() >= answer_by) {
            break;  // the answer deadline has passed: report the last failure, try no more
        }
        routing::RoutePlan plan = planner_.plan(*pool, query, tried, attempt, ring - attempt);
        if (attempt == 0) {
            trace.excluded = plan.excluded;
            trace.affinity_account = plan.affinity_account;
            trace.pinned = plan.pinned;
            for (const auto& account : plan.order) {
                trace.order.push_back(account->label);
            }
        }
        if (plan.order.empty()) {
            if (attempt == 0 && plan.pinned) {
                return refusal(pinnedUnavailable(pin_reason, plan.excluded, clock_.now()), trace);
            }
            ran_out = true;
            break;
        }
        routing::RoutedAccountPtr account = plan.order.front();
        tried.push_back(account->id);
        if (!account->state->circuitAcquire(request.model, request.route_class,
                                            clock_.steadyNow())) {
            only_quota_failures = false;
            continue;  // another request holds the half-open probe
        }
        AttemptResult result = attemptWithRefresh(account, request, sink, trace, answer_by);
        trace.attempts.push_back({account->id, account->label, attemptEndName(result.end),
                                  result.reason, result.upstream.status, result.latency.count()});
        if (result.reason == kShutdownReason) {
            return cutShort(*account, request, result, trace);
        }
        settle(*pool, *account, request, result);

        if (result.end == AttemptEnd::Failover) {
            metrics_.failover(result.reason);
            if (result.quota.blocked_until) {
                blocked.push_back({account->id, account->label, result.reason,
                                   *result.quota.blocked_until, true});
            } else {
                only_quota_failures = false;
            }
            last_failure = std::move(result);
            continue;
        }
        sdk::DispatchOutcome outcome;
        outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
        outcome.usage = result.usage;
        trace.usage = result.usage;
        trace.account_id = account->id;
        trace.account_label = account->label;
        outcome.account_id = account->id;
        switch (result.end) {
            case AttemptEnd::Completed:
                outcome.status = sdk::DispatchStatus::Completed;
                if (const auto key = routing::RoutePlanner::continuityKey(query); !key.empty()) {
                    planner_.affinities().remember(pool->pool.name, key, account->id, clock_.now());
                }
                if (!result.response_id.empty()) {
                    response_owners_.remember(pool->pool.name, result.response_id, account->id,
                                              clock_.now());
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

    if (!query.pinned_account.empty() && last_failure && last_failure->quota.blocked_until) {
        // The pinned account just reached its limit: the conversation cannot go on there, and
        // the client must hear how to go on, as when the limit was known before.
        return refusal(pinnedUnavailable(pin_reason, blocked, clock_.now()), trace);
    }
    blocked.insert(blocked.end(), trace.excluded.begin(), trace.excluded.end());
    if (!ran_out && only_quota_failures && last_failure) {
        // The ring ended with quota failures only: exhausted if no account is left either.
        ran_out = planner_.plan(*pool, query, tried, ring, 1).order.empty();
    }
    if (ran_out && only_quota_failures && poolExhausted(blocked)) {
        metrics_.rejected("usage_limit_reached");
        trace.error_code = "usage_limit_reached";
        sdk::DispatchOutcome outcome = exhaustedOutcome(blocked, caller.pool, clock_.now());
        outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
        return outcome;
    }
    if (last_failure) {
        // Every account tried failed: report the last upstream answer (e.g. its 429 body).
        trace.error_code = last_failure->reason;
        metrics_.rejected("upstream_failed");
        sdk::DispatchOutcome outcome;
        outcome.status = sdk::DispatchStatus::Rejected;
        outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
        const bool timed_out = last_failure->reason == "upstream_timeout";
        const int status = last_failure->upstream.status > 0 ? last_failure->upstream.status
                                                             : (timed_out ? 504 : 502);
        outcome.error = {status,
                         status == 429 ? "rate_limit_error" : "server_error",
                         timed_out ? "upstream_timeout" : "upstream_failed",
                         "every account tried failed; last: " + last_failure->reason,
                         "",
                         0,
                         ""};
        if (status == 429 || status == 503) {
            // The earliest any account can serve again: one the planner left out, or one a
            // failure just blocked.
            outcome.error.retry_after_seconds =
                routing::retryAfterSeconds(routing::earliestEligible(blocked), clock_.now());
        }
        outcome.upstream = std::move(last_failure->upstream);
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

sdk::DispatchOutcome Dispatcher::cutShort(const routing::RoutedAccount& account,
                                          const sdk::DispatchRequest& request,
                                          const AttemptResult& result, RoutingTrace& trace) {
    // Releases a half-open probe this attempt may hold, judging nothing.
    account.state->circuitSettle(request.model, request.route_class, std::nullopt,
                                 clock_.steadyNow());
    sdk::ErrorInfo error{503,
                         "server_error",
                         "server_shutting_down",
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

AttemptResult Dispatcher::attemptWithRefresh(routing::RoutedAccountPtr& account,
                                             const sdk::DispatchRequest& request,
                                             sdk::DispatchSink& sink, RoutingTrace& trace,
                                             std::chrono::steady_clock::time_point answer_by) {
    const auto runOnce = [&](const routing::RoutedAccount& on) {
        on.state->in_flight.fetch_add(1, std::memory_order_relaxed);
        AttemptResult result = attempt_.run(on, request, sink, request.allow_failover, answer_by);
        on.state->in_flight.fetch_sub(1, std::memory_order_relaxed);
        return result;
    };
    AttemptResult result = runOnce(*account);
    if (result.upstream.status != 401) {
        return result;
    }
    // An expired access token is not the account's fault: renew it and try the same account
    // again before anything reaches the client.
    trace.attempts.push_back({account->id, account->label, "token_refresh", "upstream_401", 401,
                              result.latency.count()});
    if (refresher_.refresh(account->id, "upstream 401") != lifecycle::RefreshResult::Refreshed) {
        return result;
    }
    const auto snapshot = routing_.snapshot();
    const auto renewed = snapshot->accounts.find(account->id);
    if (renewed == snapshot->accounts.end() || renewed->second->access_token.empty()) {
        return result;
    }
    account = renewed->second;
    return runOnce(*account);
}

void Dispatcher::settle(const routing::PoolRoute& pool, const routing::RoutedAccount& account,
                        const sdk::DispatchRequest& request, const AttemptResult& result) {
    const sdk::TimePoint now = clock_.now();
    metrics_.attempt(result.end);
    if (!result.quota.empty()) {
        account.state->applyQuota(result.quota, now);
    }
    std::optional<bool> healthy;
    if (result.reached_upstream) {
        healthy = !result.account_fault;
    }
    if (const auto changed = account.state->circuitSettle(request.model, request.route_class,
                                                          healthy, clock_.steadyNow())) {
        metrics_.circuit(*changed);
        logger_.warn("circuit_changed", {{"account", account.label},
                                         {"model", request.model},
                                         {"route_class", sdk::routeClassName(request.route_class)},
                                         {"state", routing::circuitStateName(*changed)}});
    }
    if (result.account_fault) {
        account.state->recordFailure(now);
    } else if (result.end == AttemptEnd::Completed) {
        account.state->recordSuccess(now, result.latency);
    }
    const sdk::Outcome feedback{account.id, request.model, outcomeKind(result), result.latency,
                                result.usage.total_tokens};
    pool.strategy->onOutcome(feedback);
}

}  // namespace sluice::core::dispatch
