#include "core/dispatch/upstream_attempt.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include <array>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/dispatch/response_completion.hpp"
#include "core/dispatch/stream_grammar.hpp"
#include "core/dispatch/upstream_reader.hpp"
#include "core/security/bounded_json.hpp"
#include "core/upstream/json_scan.hpp"
#include "core/upstream/sse_parser.hpp"

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

constexpr std::size_t kErrorBodyLimit = 256 * 1024;
constexpr std::size_t kUsageScanLimit = 4 * 1024 * 1024;

// Failing first events worth another account: the next one may well succeed.
constexpr std::array<std::string_view, 12> kRetryableCodes{"server_error",
                                                           "server_is_overloaded",
                                                           "overloaded_error",
                                                           "slow_down",
                                                           "upstream_request_timeout",
                                                           "stream_incomplete",
                                                           "websocket_connection_limit_reached",
                                                           "rate_limit_exceeded",
                                                           "usage_limit_reached",
                                                           "insufficient_quota",
                                                           "usage_not_included",
                                                           "internal_error"};

bool isHidden(std::string_view type) {
    // Bookkeeping events: relayed, but they do not make output visible.
    return type == "response.created" || type == "response.in_progress" ||
           type == "response.queued" || type == "codex.rate_limits";
}

bool isTerminal(std::string_view type) {
    return type == "response.completed" || type == "response.done" || type == "response.failed" ||
           type == "response.incomplete" || type == "error";
}

bool isFailure(std::string_view type) {
    return type == "response.failed" || type == "response.incomplete" || type == "error";
}

std::string failureCode(std::string_view data) {
    const json event = security::parseJson(data);
    if (event.is_discarded() || !event.is_object()) {
        return "";
    }
    for (const json* holder : {&event, event.contains("response") ? &event["response"] : nullptr}) {
        if (holder == nullptr || !holder->is_object()) {
            continue;
        }
        const auto error = holder->find("error");
        if (error != holder->end() && error->is_object()) {
            for (const char* key : {"code", "type"}) {
                const auto it = error->find(key);
                if (it != error->end() && it->is_string()) {
                    return it->get<std::string>();
                }
            }
        }
    }
    const auto code = event.find("code");
    return code != event.end() && code->is_string() ? code->get<std::string>() : "";
}

bool isRetryableCode(std::string_view code) {
    for (const std::string_view retryable : kRetryableCodes) {
        if (code == retryable) {
            return true;
        }
    }
    return false;
}

void complete(ResponseCompletion completion, AttemptResult& result) {
    result.usage = completion.usage;
    result.response_id = std::move(completion.response_id);
}

sdk::Headers headersOf(const Poco::Net::HTTPResponse& response) {
    sdk::Headers headers;
    for (const auto& [name, value] : response) {
        headers.push_back({name, value});
    }
    return headers;
}

struct HeldEvent {
    std::string type;
    std::string data;
    std::string raw;
};

struct OpenedExchange {
    upstream::UpstreamConnectionPtr connection;
    Poco::Net::HTTPResponse response;
};

enum class HeadEnd { Received, NetworkError, TimedOut, Cut };

Poco::Net::HTTPRequest upstreamRequest(const sdk::DispatchRequest& request,
                                       const sdk::Headers& headers) {
    Poco::Net::HTTPRequest http(request.method, request.path, Poco::Net::HTTPMessage::HTTP_1_1);
    http.setKeepAlive(true);
    for (const sdk::Header& header : headers) {
        http.add(header.name, header.value);
    }
    if (!request.body.empty() || request.method == "POST" || request.method == "PUT") {
        http.setContentLength64(static_cast<Poco::Int64>(request.body.size()));
        if (!http.has("Content-Type")) {
            http.setContentType("application/json");
        }
    }
    return http;
}

// Sends the request and waits at most `wait` for the answer's head; a stale keep-alive
// connection gets one retry on a fresh one. The body is left for UpstreamReader.
HeadEnd sendAndAwaitHead(upstream::ConnectionPool& connections, StreamCutoff& cutoff,
                         Poco::Net::HTTPRequest& http, std::string_view body,
                         std::chrono::milliseconds wait, OpenedExchange& opened) {
    for (int round = 0; round < 2; ++round) {
        opened.connection = round == 0 ? connections.acquire() : connections.open();
        connections.awaitHeadFor(*opened.connection, wait);
        const StreamCutoff::Hold hold(cutoff, opened.connection->session().socket());
        try {
            if (cutoff.isCut()) {
                return HeadEnd::Cut;
            }
            std::ostream& out = opened.connection->session().sendRequest(http);
            out.write(body.data(), static_cast<std::streamsize>(body.size()));
            opened.connection->session().receiveResponse(opened.response);
            return HeadEnd::Received;
        } catch (const Poco::TimeoutException&) {
            return HeadEnd::TimedOut;
        } catch (const std::exception&) {
            if (cutoff.isCut()) {
                return HeadEnd::Cut;
            }
            if (round == 1 || !opened.connection->reused) {
                return HeadEnd::NetworkError;
            }
        }
    }
    return HeadEnd::NetworkError;
}

}  // namespace

void UpstreamAttempt::learn(const routing::RoutedAccount& account,
                            const routing::QuotaObservation& quota) const {
    if (!quota.empty()) {
        account.state->applyQuota(quota, clock_.now());
    }
}

AttemptResult UpstreamAttempt::run(const routing::RoutedAccount& account,
                                   const sdk::DispatchRequest& request, sdk::DispatchSink& sink,
                                   bool allow_failover,
                                   std::chrono::steady_clock::time_point answer_by) const {
    const auto started = clock_.steadyNow();
    AttemptResult result;
    const auto finish = [&](AttemptResult& r) -> AttemptResult {
        r.latency =
            std::chrono::duration_cast<std::chrono::microseconds>(clock_.steadyNow() - started);
        return std::move(r);
    };
    const auto failover = [&](std::string reason, bool account_fault) {
        result.end = allow_failover ? AttemptEnd::Failover : AttemptEnd::PassThrough;
        result.reason = std::move(reason);
        result.account_fault = account_fault;
    };
    const auto cut_short = [&](bool committed) -> AttemptResult {
        result.end = committed ? AttemptEnd::Interrupted : AttemptEnd::PassThrough;
        result.reason = std::string(kShutdownReason);
        result.reached_upstream = false;
        result.account_fault = false;
        return finish(result);
    };

    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(answer_by - started);
    const auto wait = std::min(timing_.first_byte_timeout, left);
    if (wait <= std::chrono::milliseconds(0)) {
        failover("upstream_timeout", false);
        return finish(result);
    }
    Poco::Net::HTTPRequest http = upstreamRequest(request, envelope_.headersFor(account, request));
    OpenedExchange opened;
    const HeadEnd head_end =
        sendAndAwaitHead(connections_, cutoff_, http, request.body, wait, opened);
    if (head_end == HeadEnd::Cut) {
        return cut_short(false);
    }
    result.reached_upstream = true;
    if (head_end != HeadEnd::Received) {
        failover(head_end == HeadEnd::TimedOut ? "upstream_timeout" : "network_error", true);
        return finish(result);
    }
    const int status = static_cast<int>(opened.response.getStatus());
    sdk::Headers headers = headersOf(opened.response);
    result.quota = routing::quotaFromHeaders(headers, clock_.now());
    const http::MessageFraming framing = http::framingOf(opened.response);
    UpstreamReader reader(*opened.connection, framing);
    const StreamCutoff::Hold hold(cutoff_, opened.connection->session().socket());

    if (status >= 400) {
        result.upstream = {status, headers, reader.readAll(kErrorBodyLimit, timing_.read_timeout)};
        if (reader.reusable()) {
            connections_.release(std::move(opened.connection));
        }
        result.quota.merge(routing::quotaFromError(result.upstream.body, clock_.now()));
        const std::string code = failureCode(result.upstream.body);
        if (status == 429) {
            failover(code == "usage_limit_reached" ? "usage_limit_reached" : "upstream_429", true);
        } else if (status >= 500) {
            failover("upstream_5xx", true);
        } else if (status == 401 || status == 403) {
            failover("upstream_unauthorized", true);
        } else if (code == "model_not_found" || (status == 404 && code == "model_unavailable")) {
            failover("model_unavailable", true);
        } else {
            result.end = AttemptEnd::PassThrough;
            result.reason = "upstream_" + std::to_string(status);
        }
        return finish(result);
    }

    const sdk::UpstreamHead head{status, UpstreamEnvelope::relayable(headers)};
    const bool event_stream = request.event_stream && opened.response.getContentType().find(
                                                          "text/event-stream") != std::string::npos;
    std::string chunk;

    if (!event_stream) {
        // A plain answer commits at once; keep a bounded copy to read its usage. Its length is
        // known when the upstream sent one, which spares the client chunked framing.
        sdk::UpstreamHead plain_head = head;
        if (framing.content_length) {
            plain_head.headers.push_back(
                {"Content-Length", std::to_string(*framing.content_length)});
        }
        learn(account, result.quota);
        sink.onCommit(plain_head);
        std::string copy;
        while (true) {
            chunk.clear();
            const auto read = reader.readSome(chunk, timing_.read_timeout);
            if (read == UpstreamReader::Read::Data) {
                if (copy.size() + chunk.size() <= kUsageScanLimit) {
                    copy += chunk;
                }
                if (!sink.onBody(chunk)) {
                    result.end = AttemptEnd::ClientGone;
                    return finish(result);
                }
                continue;
            }
            if (cutoff_.isCut() && !(read == UpstreamReader::Read::End && reader.finished())) {
                return cut_short(true);
            }
            if (read == UpstreamReader::Read::End && reader.finished()) {
                result.end = AttemptEnd::Completed;
                complete(readCompletion(copy), result);
                if (reader.reusable()) {
                    connections_.release(std::move(opened.connection));
                }
            } else {
                result.end = AttemptEnd::Interrupted;
                result.reason = read == UpstreamReader::Read::Idle  ? "upstream_timeout"
                                : read == UpstreamReader::Read::End ? "stream_cut"
                                                                    : "network_error";
                result.account_fault = true;
            }
            return finish(result);
        }
    }

    upstream::SseParser parser;
    std::vector<HeldEvent> held;
    const StreamEnd stream_end = streamEndOf(request.route_class);
    bool committed = false;
    bool saw_terminal = false;
    auto silence = std::chrono::milliseconds(0);
    sdk::SseEvent event;
    const auto deliver = [&](const sdk::SseEvent& e) -> bool {
        if (e.type == "codex.rate_limits") {
            const auto quota = routing::quotaFromRateLimitEvent(e.data, clock_.now());
            learn(account, quota);
            result.quota.merge(quota);
        } else if (e.type == "response.completed" || e.type == "response.done") {
            complete(readCompletion(e.data), result);
        }
        saw_terminal = saw_terminal || isTerminal(e.type);
        return sink.onEvent(e);
    };
    const auto commit = [&]() -> bool {
        committed = true;
        learn(account, result.quota);
        sink.onCommit(head);
        for (const HeldEvent& h : held) {
            if (!sink.onEvent({h.type, h.data, h.raw})) {
                return false;
            }
        }
        held.clear();
        return true;
    };
    while (true) {
        chunk.clear();
        const auto wait =
            committed ? std::min(timing_.keepalive, timing_.read_timeout) : timing_.read_timeout;
        const auto read = reader.readSome(chunk, wait);
        if (read == UpstreamReader::Read::Idle) {
            silence += wait;
            if (silence >= timing_.read_timeout) {
                if (!committed) {
                    failover("upstream_timeout", true);
                } else {
                    result.end = AttemptEnd::Interrupted;
                    result.reason = "upstream_timeout";
                    result.account_fault = true;
                }
                return finish(result);
            }
            if (committed && !sink.onIdle()) {
                result.end = AttemptEnd::ClientGone;
                return finish(result);
            }
            continue;
        }
        if (read != UpstreamReader::Read::Data) {
            if (cutoff_.isCut() && !(read == UpstreamReader::Read::End && reader.finished())) {
                return cut_short(committed);
            }
            const bool clean_end =
                read == UpstreamReader::Read::End &&
                (stream_end == StreamEnd::FinalEvent ? saw_terminal : reader.finished());
            // A stream that is not Responses events may end cleanly before anything visible:
            // that is still its answer.
            if (clean_end && !committed && !commit()) {
                result.end = AttemptEnd::ClientGone;
                return finish(result);
            }
            if (clean_end && committed) {
                result.end = AttemptEnd::Completed;
                if (reader.reusable()) {
                    connections_.release(std::move(opened.connection));
                }
            } else if (!committed) {
                failover(read == UpstreamReader::Read::End ? "stream_cut_before_output"
                                                           : "network_error",
                         true);
            } else {
                result.end = AttemptEnd::Interrupted;
                result.reason = saw_terminal ? "network_error" : "stream_cut";
                result.account_fault = true;
            }
            return finish(result);
        }
        silence = std::chrono::milliseconds(0);
        parser.feed(chunk);
        if (parser.overflowed()) {
            if (!committed) {
                failover("event_too_large", false);
            } else {
                result.end = AttemptEnd::Interrupted;
                result.reason = "event_too_large";
            }
            return finish(result);
        }
        while (parser.take(event)) {
            if (!committed) {
                if (isFailure(event.type)) {
                    const std::string code = failureCode(event.data);
                    result.quota.merge(routing::quotaFromError(event.data, clock_.now()));
                    if (allow_failover && isRetryableCode(code)) {
                        failover("first_event_failed:" + code, true);
                        return finish(result);
                    }
                }
                if (isHidden(event.type)) {
                    if (event.type == "codex.rate_limits") {
                        result.quota.merge(
                            routing::quotaFromRateLimitEvent(event.data, clock_.now()));
                    }
                    held.push_back(
                        {std::string(event.type), std::string(event.data), std::string(event.raw)});
                    continue;
                }
                if (!commit()) {
                    result.end = AttemptEnd::ClientGone;
                    return finish(result);
                }
            }
            if (!deliver(event)) {
                result.end = AttemptEnd::ClientGone;
                return finish(result);
            }
        }
    }
}

}  // namespace sluice::core::dispatch
