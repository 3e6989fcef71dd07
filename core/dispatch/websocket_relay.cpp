#include "core/dispatch/websocket_relay.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <climits>

#include "core/dispatch/failover_engine.hpp"
#include "core/dispatch/pool_exhaustion.hpp"
#include "core/dispatch/response_completion.hpp"
#include "core/dispatch/websocket_continuity.hpp"
#include "core/dispatch/websocket_handshake.hpp"

namespace sluice::core::dispatch {

namespace {

using Poco::Net::WebSocket;

sdk::Headers headersOf(const Poco::Net::MessageHeader& message) {
    sdk::Headers headers;
    for (const auto& [name, value] : message) {
        headers.push_back({name, value});
    }
    return headers;
}

}  // namespace

sdk::DispatchOutcome WebSocketRelay::relay(const sdk::Principal& caller,
                                           const sdk::DispatchRequest& request,
                                           ClientUpgrade& client_upgrade, RoutingTrace& trace,
                                           TurnGate& turns) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    trace.route_class = sdk::routeClassName(sdk::RouteClass::ProxyWebsocket);
    // No upstream work for a handshake the client could never complete.
    if (auto invalid = checkClientHandshake(client_upgrade.handshake())) {
        outcome.error = std::move(*invalid);
        trace.error_code = outcome.error.code;
        return outcome;
    }
    const routing::RoutingSnapshotPtr snapshot = routing_.snapshot();
    const routing::PoolRoute* pool = snapshot->pool(caller.pool);
    if (pool == nullptr || pool->strategy == nullptr) {
        outcome.error = {503,
                         "server_error",
                         "pool_unavailable",
                         "pool '" + caller.pool + "' is not available",
                         "",
                         0,
                         ""};
        metrics_.rejected("pool_unavailable");
        trace.error_code = outcome.error.code;
        return outcome;
    }
    const routing::RouteQuery query{request.model, sdk::RouteClass::ProxyWebsocket,
                                    request.session_key, request.prompt_cache_key,
                                    request.pinned_account};
    FailoverEngine engine({planner_, renewal_, metrics_, clock_, logger_}, *pool, query, trace,
                          clock_.steadyNow() + answer_deadline_);
    routing::RoutedAccountPtr account;
    std::optional<UpstreamSocket> upstream =
        openUpstream(engine, caller, request, account, trace, outcome);
    if (!upstream) {
        return outcome;
    }
    trace.account_id = account->id;
    trace.account_label = account->label;
    outcome.account_id = account->id;
    // The client reads its quota from the 101 too: the pool's view, when that is what it sees.
    sdk::Headers shown = UpstreamEnvelope::relayable(upstream->headers);
    if (const auto view = quota_.viewFor(caller)) {
        QuotaPresenter::present(shown, *view);
    }
    const int max_frame =
        static_cast<int>(std::min<std::size_t>(limits_.max_message_bytes, INT_MAX));
    std::unique_ptr<WebSocket> client;
    try {
        client = client_upgrade.accept(shown, max_frame);
    } catch (const Poco::Exception&) {
        try {
            upstream->socket->shutdown();
        } catch (const Poco::Exception&) {
            // The upstream socket is dropped with its connection either way.
        }
        engine.close();
        outcome.status = sdk::DispatchStatus::ClientGone;
        trace.error_code = "client_gone";
        return outcome;
    }
    engine.commit();
    if (const auto key = routing::RoutePlanner::continuityKey(query); !key.empty()) {
        planner_.affinities().remember(pool->pool.name, key, account->id, clock_.now());
    }
    upstream->socket->setMaxPayloadSize(max_frame);
    const auto watch = key_sockets_.watch(caller.kind, client_upgrade.handshake().headers, *client);
    const std::string pool_name = pool->pool.name;
    // Shutdown's cut must reach the socket the relay waits on, a replacement included.
    std::optional<StreamCutoff::Hold> hold;
    hold.emplace(cutoff_, *upstream->socket);
    WebSocketContinuity continuity(
        turns, limits_.max_age, limits_.max_message_bytes, clock_,
        [&](const std::string& turn_state) {
            if (!replaceUpstream(*account, request, turn_state, *upstream, max_frame)) {
                return false;
            }
            hold.emplace(cutoff_, *upstream->socket);
            return true;
        });
    if (const auto state = sdk::findHeader(upstream->headers, "x-codex-turn-state")) {
        continuity.upgradeTurnState(std::string(*state));
    }
    OpenSocket open{*account, pool_name, trace, continuity, engine, clock_.steadyNow()};
    const auto observe = [&](std::string_view type, std::string& payload) {
        const bool rate_limits = type == "codex.rate_limits";
        observeUpstream(type, payload, open);
        if (const auto view = rate_limits ? quota_.viewFor(caller) : std::nullopt) {
            payload = routing::rateLimitsEvent(*view);  // after the account's own was applied
        }
    };
    account->state->in_flight.fetch_add(1, std::memory_order_relaxed);
    WebSocketPump pump(*client, *upstream->socket, *watch, continuity, limits_, cutoff_, trace,
                       observe);
    const WebSocketPump::End end = pump.run();
    account->state->in_flight.fetch_sub(1, std::memory_order_relaxed);
    engine.close();
    logger_.debug("websocket_closed",
                  {{"account", account->label},
                   {"end", std::string(WebSocketPump::endName(end))},
                   {"upstream_replacements", std::to_string(continuity.replacements())}});
    outcome.status = sdk::DispatchStatus::Completed;
    outcome.usage = trace.usage;
    return outcome;
}

void WebSocketRelay::observeUpstream(std::string_view type, const std::string& payload,
                                     OpenSocket& open) {
    open.turns.observe(type, payload);
    if (type == "codex.rate_limits") {
        open.account.state->applyQuota(routing::quotaFromRateLimitEvent(payload, clock_.now()),
                                       clock_.now());
        return;
    }
    if (type == "response.created") {
        open.turn_started = clock_.steadyNow();
        return;
    }
    if (type != "error" && type != "response.failed" && type != "response.incomplete" &&
        type != "response.completed") {
        return;
    }
    const ResponseCompletion completion = readCompletion(payload);
    addUsage(open.trace.usage, completion.usage);
    open.turns.close(completion);
    AttemptResult turn;
    turn.reached_upstream = true;
    turn.usage = completion.usage;
    turn.latency = std::chrono::duration_cast<std::chrono::microseconds>(clock_.steadyNow() -
                                                                         open.turn_started);
    if (type == "response.completed") {
        turn.end = AttemptEnd::Completed;
        if (!completion.response_id.empty()) {
            response_owners_.remember(open.pool, completion.response_id, open.account.id,
                                      clock_.now());
        }
    } else {
        const Failure failure = errorCodeOf(payload) == "usage_limit_reached"
                                    ? Failure::TurnUsageLimit
                                    : Failure::TurnFailed;
        turn.fail(failure, false, true);
        if (ruleFor(failure).quota_evidence) {
            turn.quota = routing::quotaFromError(payload, clock_.now());
        }
    }
    open.engine.settleTurn(open.account, turn);
}

std::optional<UpstreamSocket> WebSocketRelay::openUpstream(
    FailoverEngine& engine, const sdk::Principal& caller, const sdk::DispatchRequest& request,
    routing::RoutedAccountPtr& account, RoutingTrace& trace, sdk::DispatchOutcome& outcome) {
    bool refused = false;
    while ((account = engine.next())) {
        Dialed dialed = dial(*account, request);
        if (dialed.socket) {
            engine.settleAttempt(*account, dialed.result);
            outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
            return std::move(dialed.socket);
        }
        refused = refused || dialed.result.failure == Failure::UpgradeRefused;
        if (dialed.result.end == AttemptEnd::Failover) {
            engine.failOver(*account, dialed.result);
            continue;
        }
        engine.finish(*account, dialed.result);  // an answer the client must see as is
        unopened(dialed.result, refused, caller, trace, outcome);
        return std::nullopt;
    }
    unopened(engine.lastFailure(), refused, caller, trace, outcome);
    return std::nullopt;
}

void WebSocketRelay::unopened(const std::optional<AttemptResult>& last, bool refused,
                              const sdk::Principal& caller, RoutingTrace& trace,
                              sdk::DispatchOutcome& outcome) const {
    outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
    if (!last && poolExhausted(trace.excluded)) {
        const std::uint32_t attempts = outcome.attempts;
        outcome = exhaustedOutcome(trace.excluded, caller.pool, clock_.now());
        outcome.attempts = attempts;
        metrics_.rejected("usage_limit_reached");
        trace.error_code = "usage_limit_reached";
        return;
    }
    if (refused) {
        // The client should use HTTP: no other account's answer changes that.
        const FailureRule& rule = ruleFor(Failure::UpgradeRefused);
        outcome.error = {rule.client_status,
                         "invalid_request_error",
                         std::string(rule.client_code),
                         "the upstream does not accept websockets here; use HTTP",
                         "",
                         0,
                         ""};
        trace.error_code = outcome.error.code;
        return;
    }
    if (last) {
        const FailureRule& rule = ruleFor(last->failure.value_or(Failure::NetworkError));
        const int status = last->upstream.status >= 400 ? last->upstream.status : 502;
        outcome.error = {status,
                         status == 429 ? "rate_limit_error" : "server_error",
                         std::string(rule.client_code),
                         "every account tried failed; last: " + last->reason,
                         "",
                         0,
                         ""};
        metrics_.rejected("upstream_failed");
        trace.error_code = last->reason;
        return;
    }
    outcome.error = {
        503,
        "server_error",
        "no_eligible_account",
        "no account in pool '" + caller.pool + "' accepted a websocket",
        "",
        routing::retryAfterSeconds(routing::earliestEligible(trace.excluded), clock_.now()),
        ""};
    metrics_.rejected("no_eligible_account");
    trace.error_code = outcome.error.code;
}

WebSocketRelay::Dialed WebSocketRelay::dial(const routing::RoutedAccount& account,
                                            const sdk::DispatchRequest& request) const {
    Dialed dialed;
    UpstreamSocket candidate{connections_.open(), nullptr, {}};
    Poco::Net::HTTPRequest http(Poco::Net::HTTPRequest::HTTP_GET, request.path,
                                Poco::Net::HTTPMessage::HTTP_1_1);
    for (const sdk::Header& header : envelope_.headersFor(account, request)) {
        http.add(header.name, header.value);
    }
    Poco::Net::HTTPResponse response;
    const auto started = clock_.steadyNow();
    bool failed = false;
    int status = 0;  // of an answer other than a valid 101
    try {
        candidate.socket = connectUpstream(candidate.connection->session(), http, response);
    } catch (const Poco::Net::WebSocketException&) {
        // Poco throws this only once an answer other than a valid 101 was read.
        failed = true;
        status = static_cast<int>(response.getStatus());
    } catch (const Poco::Exception&) {
        failed = true;
    }
    AttemptResult& result = dialed.result;
    result.latency =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_.steadyNow() - started);
    if (!failed || status != 0) {
        dialed.headers = headersOf(response);
        result.quota = routing::quotaFromHeaders(dialed.headers, clock_.now());
    }
    if (failed) {
        result.upstream.status = status;
        result.fail(classifyUpgrade(status), true, false);
        return dialed;
    }
    result.end = AttemptEnd::Completed;
    result.reached_upstream = true;
    result.upstream.status = 101;
    candidate.headers = dialed.headers;
    dialed.socket = std::move(candidate);
    return dialed;
}

bool WebSocketRelay::replaceUpstream(const routing::RoutedAccount& account,
                                     const sdk::DispatchRequest& request,
                                     const std::string& turn_state, UpstreamSocket& current,
                                     int max_frame) {
    sdk::DispatchRequest again = request;
    if (!turn_state.empty()) {
        std::erase_if(again.headers, [](const sdk::Header& header) {
            return sdk::equalsIgnoreCase(header.name, "x-codex-turn-state");
        });
        again.headers.push_back({"x-codex-turn-state", turn_state});
    }
    Dialed dialed = dial(account, again);
    account.state->applyQuota(dialed.result.quota, clock_.now());
    if (!dialed.socket) {
        logger_.warn("websocket_replacement_failed",
                     {{"account", account.label}, {"reason", dialed.result.reason}});
        return false;
    }
    try {
        current.socket->shutdown();
    } catch (const Poco::Exception&) {
        // The old socket goes either way.
    }
    // Assigning the handle moves every holder of `*current.socket`, the pump included, to the
    // new socket; the old one closes with its last handle.
    *current.socket = *dialed.socket->socket;
    current.socket->setMaxPayloadSize(max_frame);
    current.connection = std::move(dialed.socket->connection);
    current.headers = std::move(dialed.headers);
    logger_.info("websocket_upstream_replaced", {{"account", account.label}});
    return true;
}

}  // namespace sluice::core::dispatch
