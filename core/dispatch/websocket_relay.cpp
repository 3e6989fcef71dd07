#include "core/dispatch/websocket_relay.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <climits>

#include "core/dispatch/response_completion.hpp"
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

/// How one failed upstream upgrade counts.
struct UpgradeFailure {
    std::string reason;    ///< the attempt's reason in the trace
    int status = 0;        ///< the upstream's answer; 0 when none came
    bool refused = false;  ///< the upstream serves no websockets here: the client should use HTTP
    bool account_fault = false;  ///< counts against the account (circuit, failure streak)
};

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
                                           Poco::Net::HTTPServerRequest& client_request,
                                           Poco::Net::HTTPServerResponse& client_response,
                                           bool& switched, RoutingTrace& trace, TurnGate& turns) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    trace.route_class = sdk::routeClassName(sdk::RouteClass::ProxyWebsocket);
    // No upstream work for a handshake the client could never complete.
    if (auto invalid = checkClientHandshake(client_request)) {
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
    for (const sdk::Header& header : UpstreamEnvelope::relayable(upstream->headers)) {
        client_response.set(header.name, header.value);
    }
    const int max_frame =
        static_cast<int>(std::min<std::size_t>(limits_.max_message_bytes, INT_MAX));
    std::unique_ptr<WebSocket> client;
    try {
        client = acceptClient(client_request, client_response, max_frame);
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
    switched = true;
    if (const auto key = routing::RoutePlanner::continuityKey(query); !key.empty()) {
        planner_.affinities().remember(pool->pool.name, key, account->id, clock_.now());
    }
    upstream->socket->setMaxPayloadSize(max_frame);
    const auto watch = key_sockets_.watch(caller.kind, headersOf(client_request), *client);
    const std::string pool_name = pool->pool.name;
    const auto observe = [&](std::string_view type, const std::string& payload) {
        observeUpstream(type, payload, *account, pool_name, trace, turns);
    };
    account->state->in_flight.fetch_add(1, std::memory_order_relaxed);
    const StreamCutoff::Hold hold(cutoff_, *upstream->socket);
    WebSocketPump pump(*client, *upstream->socket, *watch, turns, limits_, cutoff_, trace, observe);
    const WebSocketPump::End end = pump.run();
    account->state->in_flight.fetch_sub(1, std::memory_order_relaxed);
    logger_.debug("websocket_closed",
                  {{"account", account->label}, {"end", std::string(WebSocketPump::endName(end))}});
    outcome.status = sdk::DispatchStatus::Completed;
    outcome.usage = trace.usage;
    return outcome;
}

void WebSocketRelay::observeUpstream(std::string_view type, const std::string& payload,
                                     const routing::RoutedAccount& account, const std::string& pool,
                                     RoutingTrace& trace, TurnGate& turns) {
    if (type == "codex.rate_limits") {
        account.state->applyQuota(routing::quotaFromRateLimitEvent(payload, clock_.now()),
                                  clock_.now());
        return;
    }
    if (type != "error" && type != "response.failed" && type != "response.completed") {
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
        UpstreamSocket candidate{connections_.open(), nullptr, {}};
        Poco::Net::HTTPRequest http(Poco::Net::HTTPRequest::HTTP_GET, request.path,
                                    Poco::Net::HTTPMessage::HTTP_1_1);
        for (const sdk::Header& header : envelope_.headersFor(*account, request)) {
            http.add(header.name, header.value);
        }
        Poco::Net::HTTPResponse response;
        const auto started = clock_.steadyNow();
        std::optional<UpgradeFailure> failure;
        try {
            candidate.socket = connectUpstream(candidate.connection->session(), http, response);
        } catch (const Poco::Net::WebSocketException&) {
            // Poco throws this only once an answer other than a valid 101 was read.
            failure = classifyUpgrade(true, static_cast<int>(response.getStatus()));
        } catch (const Poco::Exception&) {
            failure = classifyUpgrade(false, 0);
        }
        const auto latency =
            std::chrono::duration_cast<std::chrono::microseconds>(clock_.steadyNow() - started);
        const sdk::Headers headers =
            failure && failure->status == 0 ? sdk::Headers{} : headersOf(response);
        account->state->applyQuota(routing::quotaFromHeaders(headers), clock_.now());
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
            last_failure = std::move(failure);
            continue;
        }
        account->state->recordSuccess(clock_.now(), latency);
        candidate.headers = headers;
        outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
        return candidate;
    }
    outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
    outcome.error = unopenedError(
        last_failure, refused, caller.pool,
        routing::retryAfterSeconds(routing::earliestEligible(trace.excluded), clock_.now()));
    if (!refused) {
        metrics_.rejected(last_failure ? "upstream_failed" : "no_eligible_account");
    }
    trace.error_code = last_failure && !refused ? last_failure->reason : outcome.error.code;
    return std::nullopt;
}

}  // namespace sluice::core::dispatch
