#include "core/dispatch/websocket_relay.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <climits>

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

// `answered`: the upstream sent an HTTP answer other than 101; otherwise the connection failed.
UpgradeFailure classifyUpgrade(bool answered, int status) {
    if (!answered) {
        return {"network_error", 0, false, true};
    }
    if (status == 426 || (status >= 200 && status < 300)) {
        return {"upgrade_refused", status, true, false};
    }
    return {"upstream_" + std::to_string(status), status, false, true};
}

// The client's answer when no upstream socket opened.
sdk::ErrorInfo unopenedError(const std::optional<UpgradeFailure>& last, bool refused,
                             const std::string& pool, std::int64_t retry_after_seconds) {
    if (refused) {
        return {426,
                "invalid_request_error",
                "websocket_unavailable",
                "the upstream does not accept websockets here; use HTTP",
                "",
                0,
                ""};
    }
    if (last) {
        const int status = last->status >= 400 ? last->status : 502;
        return {status,
                status == 429 ? "rate_limit_error" : "server_error",
                "upstream_failed",
                "every account tried failed; last: " + last->reason,
                "",
                0,
                ""};
    }
    return {503,
            "server_error",
            "no_eligible_account",
            "no account in pool '" + pool + "' accepted a websocket",
            "",
            retry_after_seconds,
            ""};
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
    routing::RoutedAccountPtr account;
    std::optional<UpstreamSocket> upstream =
        openUpstream(caller, request, *pool, query, account, trace, outcome);
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
        outcome.status = sdk::DispatchStatus::ClientGone;
        trace.error_code = "client_gone";
        return outcome;
    }
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
    const auto observe = [&](std::string_view type, std::string& payload) {
        const bool rate_limits = type == "codex.rate_limits";
        observeUpstream(type, payload, *account, pool_name, trace, continuity);
        if (const auto view = rate_limits ? quota_.viewFor(caller) : std::nullopt) {
            payload = routing::rateLimitsEvent(*view);  // after the account's own was applied
        }
    };
    account->state->in_flight.fetch_add(1, std::memory_order_relaxed);
    WebSocketPump pump(*client, *upstream->socket, *watch, continuity, limits_, cutoff_, trace,
                       observe);
    const WebSocketPump::End end = pump.run();
    account->state->in_flight.fetch_sub(1, std::memory_order_relaxed);
    logger_.debug("websocket_closed",
                  {{"account", account->label},
                   {"end", std::string(WebSocketPump::endName(end))},
                   {"upstream_replacements", std::to_string(continuity.replacements())}});
    outcome.status = sdk::DispatchStatus::Completed;
    outcome.usage = trace.usage;
    return outcome;
}

void WebSocketRelay::observeUpstream(std::string_view type, const std::string& payload,
                                     const routing::RoutedAccount& account, const std::string& pool,
                                     RoutingTrace& trace, WebSocketContinuity& turns) {
    turns.observe(type, payload);
    if (type == "codex.rate_limits") {
        account.state->applyQuota(routing::quotaFromRateLimitEvent(payload, clock_.now()),
                                  clock_.now());
        return;
    }
    if (type != "error" && type != "response.failed" && type != "response.incomplete" &&
        type != "response.completed") {
        return;
    }
    if (type != "response.completed") {
        account.state->applyQuota(routing::quotaFromError(payload, clock_.now()), clock_.now());
    }
    const ResponseCompletion completion = readCompletion(payload);
    addUsage(trace.usage, completion.usage);
    turns.close(completion.usage);
    if (type == "response.completed" && !completion.response_id.empty()) {
        response_owners_.remember(pool, completion.response_id, account.id, clock_.now());
    }
}

std::optional<UpstreamSocket> WebSocketRelay::openUpstream(
    const sdk::Principal& caller, const sdk::DispatchRequest& request,
    const routing::PoolRoute& pool, const routing::RouteQuery& query,
    routing::RoutedAccountPtr& account, RoutingTrace& trace, sdk::DispatchOutcome& outcome) {
    std::vector<std::string> tried;
    std::optional<UpgradeFailure> last_failure;
    bool refused = false;
    for (std::uint32_t attempt = 0; attempt < pool.pool.ring_size; ++attempt) {
        routing::RoutePlan plan =
            planner_.plan(pool, query, tried, attempt, pool.pool.ring_size - attempt);
        if (attempt == 0) {
            trace.excluded = plan.excluded;
            trace.affinity_account = plan.affinity_account;
            for (const auto& candidate : plan.order) {
                trace.order.push_back(candidate->label);
            }
        }
        if (plan.order.empty()) {
            break;
        }
        account = plan.order.front();
        tried.push_back(account->id);
        if (!account->state->circuitAcquire(query.model, query.route_class, clock_.steadyNow())) {
            continue;
        }
        Dialed dialed = dial(*account, request);
        const std::optional<UpgradeFailure>& failure = dialed.failure;
        const sdk::Headers& headers = dialed.headers;
        const auto latency = dialed.latency;
        account->state->applyQuota(routing::quotaFromHeaders(headers, clock_.now()), clock_.now());
        const bool account_fault = failure && failure->account_fault;
        if (const auto changed = account->state->circuitSettle(
                query.model, query.route_class,
                failure && failure->refused ? std::optional<bool>()
                                            : std::optional<bool>(!account_fault),
                clock_.steadyNow())) {
            metrics_.circuit(*changed);
        }
        trace.attempts.push_back({account->id, account->label, failure ? "failover" : "completed",
                                  failure ? failure->reason : "", failure ? failure->status : 101,
                                  latency.count()});
        metrics_.attempt(failure ? AttemptEnd::Failover : AttemptEnd::Completed);
        if (failure) {
            refused = refused || failure->refused;
            if (account_fault) {
                account->state->recordFailure(clock_.now());
                metrics_.failover(failure->reason);
            }
            last_failure = failure;
            continue;
        }
        account->state->recordSuccess(clock_.now(), latency);
        outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
        return std::move(dialed.socket);
    }
    outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
    if (!last_failure && poolExhausted(trace.excluded)) {
        const std::uint32_t attempts = outcome.attempts;
        outcome = exhaustedOutcome(trace.excluded, caller.pool, clock_.now());
        outcome.attempts = attempts;
        metrics_.rejected("usage_limit_reached");
        trace.error_code = "usage_limit_reached";
        return std::nullopt;
    }
    outcome.error = unopenedError(
        last_failure, refused, caller.pool,
        routing::retryAfterSeconds(routing::earliestEligible(trace.excluded), clock_.now()));
    if (!refused) {
        metrics_.rejected(last_failure ? "upstream_failed" : "no_eligible_account");
    }
    trace.error_code = last_failure && !refused ? last_failure->reason : outcome.error.code;
    return std::nullopt;
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
    try {
        candidate.socket = connectUpstream(candidate.connection->session(), http, response);
    } catch (const Poco::Net::WebSocketException&) {
        // Poco throws this only once an answer other than a valid 101 was read.
        dialed.failure = classifyUpgrade(true, static_cast<int>(response.getStatus()));
    } catch (const Poco::Exception&) {
        dialed.failure = classifyUpgrade(false, 0);
    }
    dialed.latency =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_.steadyNow() - started);
    if (!dialed.failure || dialed.failure->status != 0) {
        dialed.headers = headersOf(response);
    }
    if (!dialed.failure) {
        candidate.headers = dialed.headers;
        dialed.socket = std::move(candidate);
    }
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
    account.state->applyQuota(routing::quotaFromHeaders(dialed.headers, clock_.now()),
                              clock_.now());
    if (!dialed.socket) {
        logger_.warn("websocket_replacement_failed",
                     {{"account", account.label}, {"reason", dialed.failure->reason}});
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
