#include "core/dispatch/websocket_relay.hpp"

#include <Poco/Buffer.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <optional>

#include "core/dispatch/response_completion.hpp"
#include "core/upstream/json_scan.hpp"

namespace sluice::core::dispatch {

namespace {

using Poco::Net::WebSocket;

constexpr std::chrono::seconds kPollInterval{30};

struct UpstreamSocket {
    upstream::UpstreamConnectionPtr connection;  // owns the session the websocket took over
    std::unique_ptr<WebSocket> socket;
    sdk::Headers headers;                        // of the 101 answer
};

sdk::Headers headersOf(const Poco::Net::HTTPResponse& response) {
    sdk::Headers headers;
    for (const auto& [name, value] : response) {
        headers.push_back({name, value});
    }
    return headers;
}

// The error event a websocket client receives in place of an HTTP error answer.
std::string errorEvent(const sdk::ErrorInfo& error) {
    nlohmann::json event{{"type", "error"},
                         {"status", error.http_status},
                         {"error", {{"type", error.type}, {"code", error.code}, {"message", error.message}}}};
    if (error.retry_after_seconds > 0) {
        event["headers"] = {{"retry-after", std::to_string(error.retry_after_seconds)}};
    }
    return event.dump();
}

/// One whole message (fragments joined), or the end of the socket.
struct Message {
    bool closed = false;
    int opcode = 0;
    std::string payload;
};

Message receiveMessage(WebSocket& socket) {
    Message message;
    while (true) {
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        const int received = socket.receiveFrame(buffer, flags);
        const int opcode = flags & WebSocket::FRAME_OP_BITMASK;
        if (received == 0 && flags == 0) {
            message.closed = true;
            return message;
        }
        if (opcode == WebSocket::FRAME_OP_CLOSE || opcode == WebSocket::FRAME_OP_PING ||
            opcode == WebSocket::FRAME_OP_PONG) {
            // Control frames may arrive between fragments; they are answered on their own.
            message.opcode = opcode;
            message.payload.assign(buffer.begin(), buffer.size());
            return message;
        }
        if (opcode != WebSocket::FRAME_OP_CONT) {
            message.opcode = opcode;
        }
        message.payload.append(buffer.begin(), buffer.size());
        if ((flags & WebSocket::FRAME_FLAG_FIN) != 0) {
            return message;
        }
    }
}

bool hasPending(WebSocket& socket) {
    try {
        return socket.available() > 0;
    } catch (...) {
        return false;
    }
}

}  // namespace

sdk::DispatchOutcome WebSocketRelay::relay(const sdk::Principal& caller, const sdk::DispatchRequest& request,
                                           Poco::Net::HTTPServerRequest& client_request,
                                           Poco::Net::HTTPServerResponse& client_response, bool& switched,
                                           RoutingTrace& trace, TurnGate& turns) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    trace.route_class = sdk::routeClassName(sdk::RouteClass::ProxyWebsocket);
    const routing::RoutingSnapshotPtr snapshot = routing_.snapshot();
    const routing::PoolRoute* pool = snapshot->pool(caller.pool);
    if (pool == nullptr || pool->strategy == nullptr) {
        outcome.error = {503, "server_error", "pool_unavailable", "pool '" + caller.pool + "' is not available",
                         "", 0, ""};
        metrics_.rejected("pool_unavailable");
        trace.error_code = outcome.error.code;
        return outcome;
    }
    const routing::RouteQuery query{request.model, sdk::RouteClass::ProxyWebsocket, request.session_key,
                                    request.prompt_cache_key, request.pinned_account};
    std::vector<std::string> tried;
    std::optional<UpstreamSocket> upstream;
    routing::RoutedAccountPtr account;
    bool refused = false;

    for (std::uint32_t attempt = 0; attempt < pool->pool.ring_size && !upstream; ++attempt) {
        routing::RoutePlan plan = planner_.plan(*pool, query, tried, attempt, pool->pool.ring_size - attempt);
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
        Poco::Net::HTTPRequest http(Poco::Net::HTTPRequest::HTTP_GET, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
        for (const sdk::Header& header : envelope_.headersFor(*account, request)) {
            http.add(header.name, header.value);
        }
        Poco::Net::HTTPResponse response;
        const auto started = clock_.steadyNow();
        std::string reason;
        try {
            candidate.socket = std::make_unique<WebSocket>(candidate.connection->session(), http, response);
        } catch (const Poco::Exception&) {
            const int status = static_cast<int>(response.getStatus());
            refused = refused || status == 426 || (status >= 200 && status < 300);
            reason = status == 426 ? "upgrade_refused" : status == 0 ? "network_error" : "upstream_" + std::to_string(status);
        }
        const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(clock_.steadyNow() - started);
        const sdk::Headers headers = headersOf(response);
        account->state->applyQuota(routing::quotaFromHeaders(headers), clock_.now());
        const bool failed = candidate.socket == nullptr;
        const bool account_fault = failed && reason != "upgrade_refused";
        if (const auto changed = account->state->circuitSettle(
                query.model, query.route_class,
                reason == "upgrade_refused" ? std::optional<bool>() : std::optional<bool>(!account_fault),
                clock_.steadyNow())) {
            metrics_.circuit(*changed);
        }
        trace.attempts.push_back({account->id, account->label, failed ? "failover" : "completed", reason,
                                  static_cast<int>(response.getStatus()), latency.count()});
        metrics_.attempt(failed ? AttemptEnd::Failover : AttemptEnd::Completed);
        if (failed) {
            if (account_fault) {
                account->state->recordFailure(clock_.now());
                metrics_.failover(reason == "network_error" ? "network_error" : reason);
            }
            continue;
        }
        account->state->recordSuccess(clock_.now(), latency);
        candidate.headers = headers;
        upstream = std::move(candidate);
    }
    outcome.attempts = static_cast<std::uint32_t>(trace.attempts.size());
    if (!upstream) {
        if (refused) {
            outcome.error = {426, "invalid_request_error", "websocket_unavailable",
                             "the upstream does not accept websockets here; use HTTP", "", 0, ""};
        } else {
            outcome.error = {503, "server_error", "no_eligible_account",
                             "no account in pool '" + caller.pool + "' accepted a websocket", "", 0, ""};
            metrics_.rejected("no_eligible_account");
        }
        trace.error_code = outcome.error.code;
        return outcome;
    }

    trace.account_id = account->id;
    trace.account_label = account->label;
    outcome.account_id = account->id;
    for (const sdk::Header& header : UpstreamEnvelope::relayable(upstream->headers)) {
        client_response.set(header.name, header.value);
    }
    std::unique_ptr<WebSocket> client;
    try {
        client = std::make_unique<WebSocket>(client_request, client_response);
    } catch (const Poco::Exception& e) {
        upstream->socket->shutdown();
        outcome.error = {400, "invalid_request_error", "invalid_upgrade",
                         std::string("not a valid websocket upgrade: ") + e.displayText(), "", 0, ""};
        trace.error_code = outcome.error.code;
        return outcome;
    }
    switched = true;
    if (const auto key = routing::RoutePlanner::continuityKey(query); !key.empty()) {
        planner_.affinities().remember(pool->pool.name, key, account->id, clock_.now());
    }

    WebSocket& down = *client;
    WebSocket& up = *upstream->socket;
    down.setMaxPayloadSize(kMaxFrameBytes);
    up.setMaxPayloadSize(kMaxFrameBytes);
    account->state->in_flight.fetch_add(1, std::memory_order_relaxed);
    auto idle = std::chrono::seconds(0);
    std::string end = "closed";
    try {
        bool open = true;
        while (open) {
            // Bytes already buffered (by Poco or TLS) do not wake select(): serve them first.
            Poco::Net::Socket::SocketList readable;
            if (!hasPending(down) && !hasPending(up)) {
                readable = {down, up};
                Poco::Net::Socket::SocketList writable;
                Poco::Net::Socket::SocketList failed;
                if (Poco::Net::Socket::select(readable, writable, failed,
                                              Poco::Timespan(kPollInterval.count(), 0)) == 0) {
                    idle += kPollInterval;
                    if (idle >= kIdleLimit) {
                        end = "idle_timeout";
                        break;
                    }
                    continue;
                }
            }
            idle = std::chrono::seconds(0);
            for (const bool from_client : {true, false}) {
                WebSocket& source = from_client ? down : up;
                WebSocket& target = from_client ? up : down;
                const bool ready = hasPending(source) ||
                                   std::find(readable.begin(), readable.end(), source) != readable.end();
                if (!ready) {
                    continue;
                }
                Message message = receiveMessage(source);
                if (message.closed || message.opcode == WebSocket::FRAME_OP_CLOSE) {
                    end = from_client ? "client_closed" : "upstream_closed";
                    target.shutdown();
                    open = false;
                    break;
                }
                if (message.opcode == WebSocket::FRAME_OP_PING) {
                    source.sendFrame(message.payload.data(), static_cast<int>(message.payload.size()),
                                     WebSocket::FRAME_FLAG_FIN | static_cast<int>(WebSocket::FRAME_OP_PONG));
                    continue;
                }
                if (message.opcode == WebSocket::FRAME_OP_PONG) {
                    continue;
                }
                if (message.opcode == WebSocket::FRAME_OP_TEXT) {
                    const std::string type(upstream::topLevelString(message.payload, "type").value_or(""));
                    if (from_client && type == "response.create") {
                        if (const auto refusal = turns.open(message.payload)) {
                            const std::string event = errorEvent(*refusal);
                            down.sendFrame(event.data(), static_cast<int>(event.size()));
                            continue;
                        }
                        if (trace.model.empty()) {
                            trace.model = std::string(upstream::topLevelString(message.payload, "model").value_or(""));
                        }
                    } else if (!from_client && type == "codex.rate_limits") {
                        account->state->applyQuota(routing::quotaFromRateLimitEvent(message.payload, clock_.now()),
                                                   clock_.now());
                    } else if (!from_client &&
                               (type == "error" || type == "response.failed" || type == "response.completed")) {
                        if (type != "response.completed") {
                            account->state->applyQuota(routing::quotaFromError(message.payload, clock_.now()),
                                                       clock_.now());
                        }
                        const ResponseCompletion completion = readCompletion(message.payload);
                        addUsage(trace.usage, completion.usage);
                        turns.close(completion.usage);
                        if (type == "response.completed" && !completion.response_id.empty()) {
                            response_owners_.remember(pool->pool.name, completion.response_id, account->id,
                                                      clock_.now());
                        }
                    }
                }
                target.sendFrame(message.payload.data(), static_cast<int>(message.payload.size()),
                                 WebSocket::FRAME_FLAG_FIN | message.opcode);
            }
        }
    } catch (const Poco::Exception&) {
        end = "network_error";
    }
    account->state->in_flight.fetch_sub(1, std::memory_order_relaxed);
    try {
        down.shutdown();
    } catch (const Poco::Exception&) {
    }
    try {
        up.shutdown();
    } catch (const Poco::Exception&) {
    }
    if (end == "network_error" || end == "idle_timeout") {
        trace.error_code = end;
    }
    logger_.debug("websocket_closed", {{"account", account->label}, {"end", end}});
    outcome.status = sdk::DispatchStatus::Completed;
    outcome.usage = trace.usage;
    return outcome;
}

}  // namespace sluice::core::dispatch
