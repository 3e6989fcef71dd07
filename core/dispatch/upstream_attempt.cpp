#include "core/dispatch/upstream_attempt.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>

#include "core/dispatch/event_relay.hpp"
#include "core/dispatch/response_completion.hpp"
#include "core/dispatch/stream_grammar.hpp"

namespace sluice::core::dispatch {

namespace {

constexpr std::size_t kErrorBodyLimit = 256 * 1024;
constexpr std::size_t kUsageScanLimit = 4 * 1024 * 1024;

sdk::Headers headersOf(const Poco::Net::HTTPResponse& response) {
    sdk::Headers headers;
    for (const auto& [name, value] : response) {
        headers.push_back({name, value});
    }
    return headers;
}

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
                                   std::chrono::steady_clock::time_point answer_by,
                                   const Claim& claim) const {
    const auto started = clock_.steadyNow();
    AttemptResult result;
    exchange(account, request, sink, allow_failover, answer_by - started, claim, result);
    result.latency =
        std::chrono::duration_cast<std::chrono::microseconds>(clock_.steadyNow() - started);
    return result;
}

void UpstreamAttempt::exchange(const routing::RoutedAccount& account,
                               const sdk::DispatchRequest& request, sdk::DispatchSink& sink,
                               bool allow_failover, std::chrono::steady_clock::duration left,
                               const Claim& claim, AttemptResult& result) const {
    const auto wait = std::min(timing_.first_byte_timeout,
                               std::chrono::duration_cast<std::chrono::milliseconds>(left));
    if (wait <= std::chrono::milliseconds(0)) {
        result.fail(Failure::NoTimeLeft, allow_failover, false);
        return;
    }
    Poco::Net::HTTPRequest http = upstreamRequest(request, envelope_.headersFor(account, request));
    OpenedExchange opened;
    const HeadEnd head_end =
        sendAndAwaitHead(connections_, cutoff_, http, request.body, wait, opened);
    if (head_end == HeadEnd::Cut) {
        result.fail(Failure::Shutdown, allow_failover, false);
        return;
    }
    result.reached_upstream = true;
    if (head_end != HeadEnd::Received) {
        result.fail(head_end == HeadEnd::TimedOut ? Failure::HeadTimeout : Failure::NetworkError,
                    allow_failover, false);
        return;
    }
    const int status = static_cast<int>(opened.response.getStatus());
    sdk::Headers headers = headersOf(opened.response);
    result.quota = routing::quotaFromHeaders(headers, clock_.now());
    const http::MessageFraming framing = http::framingOf(opened.response);
    UpstreamReader reader(*opened.connection, framing);
    const StreamCutoff::Hold hold(cutoff_, opened.connection->session().socket());
    if (status >= 400) {
        result.upstream = {status, std::move(headers),
                           reader.readAll(kErrorBodyLimit, timing_.read_timeout)};
        answerError(allow_failover, result);
    } else if (request.event_stream &&
               opened.response.getContentType().find("text/event-stream") != std::string::npos) {
        relayEvents(account, request, sink, allow_failover,
                    {status, UpstreamEnvelope::relayable(headers)}, reader, claim, result);
    } else {
        // A plain answer commits at once. Its length is known when the upstream sent one, which
        // spares the client chunked framing.
        sdk::UpstreamHead head{status, UpstreamEnvelope::relayable(headers)};
        if (framing.content_length) {
            head.headers.push_back({"Content-Length", std::to_string(*framing.content_length)});
        }
        learn(account, result.quota);
        relayPlain(sink, head, reader, claim, result);
    }
    if (reader.reusable() && (status >= 400 || result.end == AttemptEnd::Completed)) {
        connections_.release(std::move(opened.connection));
    }
}

void UpstreamAttempt::answerError(bool allow_failover, AttemptResult& result) const {
    const Failure failure =
        classifyAnswer(result.upstream.status, errorCodeOf(result.upstream.body));
    if (ruleFor(failure).quota_evidence) {
        result.quota.merge(routing::quotaFromError(result.upstream.body, clock_.now()));
    }
    result.fail(failure, allow_failover, false);
}

void UpstreamAttempt::relayPlain(sdk::DispatchSink& sink, const sdk::UpstreamHead& head,
                                 UpstreamReader& reader, const Claim& claim,
                                 AttemptResult& result) const {
    sink.onCommit(head);
    std::string copy;  // bounded, to read the usage from
    std::string held;  // the last piece read: it goes out when the next arrives or at the end
    std::string chunk;
    while (true) {
        chunk.clear();
        const auto read = reader.readSome(chunk, timing_.read_timeout);
        if (read != UpstreamReader::Read::Data) {
            endPlain(read, reader.finished(), copy, claim, result);
            if (!held.empty() && !sink.onBody(held) && result.end == AttemptEnd::Completed) {
                result.end = AttemptEnd::ClientGone;
            }
            return;
        }
        if (copy.size() + chunk.size() <= kUsageScanLimit) {
            copy += chunk;
        }
        if (!held.empty() && !sink.onBody(held)) {
            result.end = AttemptEnd::ClientGone;
            return;
        }
        held.swap(chunk);
    }
}

void UpstreamAttempt::endPlain(UpstreamReader::Read read, bool framed_end, std::string_view body,
                               const Claim& claim, AttemptResult& result) const {
    if (read == UpstreamReader::Read::End && framed_end) {
        result.end = AttemptEnd::Completed;
        ResponseCompletion completion = readCompletion(body);
        result.usage = completion.usage;
        result.response_id = std::move(completion.response_id);
        if (claim && !result.response_id.empty()) {
            claim(result.response_id);
        }
    } else if (cutoff_.isCut()) {
        result.fail(Failure::Shutdown, false, true);
    } else {
        result.fail(read == UpstreamReader::Read::Idle  ? Failure::SilentAfterOutput
                    : read == UpstreamReader::Read::End ? Failure::CutAfterOutput
                                                        : Failure::NetworkErrorAfterOutput,
                    false, true);
    }
}

void UpstreamAttempt::relayEvents(const routing::RoutedAccount& account,
                                  const sdk::DispatchRequest& request, sdk::DispatchSink& sink,
                                  bool allow_failover, sdk::UpstreamHead head,
                                  UpstreamReader& reader, const Claim& claim,
                                  AttemptResult& result) const {
    EventRelay relay(
        sink, std::move(head), streamEndOf(request.route_class), allow_failover, clock_,
        {[&](const routing::QuotaObservation& quota) { learn(account, quota); }, claim}, result);
    relay.run(reader, cutoff_, timing_.keepalive, timing_.read_timeout);
}

}  // namespace sluice::core::dispatch
