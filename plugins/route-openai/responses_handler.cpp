#include "responses_handler.hpp"

#include "input_tokens_request.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"
#include "recording_sink.hpp"
#include "responses_request.hpp"
#include "responses_sse_sink.hpp"
#include "sluice/plugins/common/input_tokens.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"
#include "sluice/plugins/common/requests.hpp"

namespace sluice::plugins::route_openai {

std::string interruptedEvent(const sdk::ErrorInfo& error) {
    const nlohmann::json event{
        {"type", "error"}, {"code", error.code}, {"message", error.message}, {"param", nullptr}};
    return "event: error\ndata: " + event.dump() + "\n\n";
}

void ResponsesHandler::create(sdk::Exchange& exchange) {
    PreparedTurn turn;
    const auto call = readTurn(context_, catalog_, exchange, &normalizeResponsesRequest, turn);
    if (!call) {
        return;
    }
    turn.request.previous_response_id = call->previous_response_id;

    if (!call->client_stream) {
        sdk::Headers kept;
        const auto response = collectAnswer(context_, exchange, turn.request, kept);
        if (!response) {
            return;
        }
        sendJson(exchange, 200, *response, kept);
        store_.keepResponse(exchange, *call, *response);
        return;
    }
    ResponsesSseSink sink(exchange.response());
    RecordingSink recording(sink, context_.config.max_response_bytes);
    const bool keeps = store_.keeps(*call);
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(
        turn.request, keeps ? static_cast<sdk::DispatchSink&>(recording) : sink);
    if (outcome.status == sdk::DispatchStatus::Completed && sink.terminated() && keeps) {
        if (const auto finished = recording.finished()) {
            store_.keepResponse(exchange, *call, *finished);
        }
    }
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        answerFailure(exchange, outcome);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted ||
               (outcome.status == sdk::DispatchStatus::Completed && !sink.terminated())) {
        context_.logger.warn("stream_interrupted", {{"operation", exchange.operation()}});
        // The dispatcher says why (a cut upstream, the gateway shutting down); a stream that
        // completed without its final event broke upstream.
        exchange.response().write(
            interruptedEvent(outcome.status == sdk::DispatchStatus::Interrupted
                                 ? outcome.error
                                 : upstreamError("upstream_stream_interrupted")));
        exchange.response().flush();
    }
}

void ResponsesHandler::compact(sdk::Exchange& exchange) {
    PreparedTurn turn;
    if (!readTurn(context_, catalog_, exchange, &normalizeCompactRequest, turn)) {
        return;
    }
    turn.request.path = context_.config.codex_path + "/responses/compact";
    turn.request.route_class = sdk::RouteClass::ProxyCompact;
    turn.request.event_stream = false;    // the backend answers one JSON object
    turn.request.allow_failover = false;  // a compaction is never replayed on another account
    common::BodyRelaySink sink(exchange.response());
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(turn.request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        answerFailure(exchange, outcome);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted) {
        exchange.response().abort();
    }
}

void ResponsesHandler::websocket(sdk::Exchange& exchange) {
    const auto upgrade = exchange.header("upgrade");
    if (!upgrade || !sdk::equalsIgnoreCase(*upgrade, "websocket")) {
        sdk::ErrorInfo error =
            invalidRequest("GET /responses opens a websocket; send POST for HTTP.");
        error.http_status = 426;
        error.code = "upgrade_required";
        exchange.response().sendError(error);
        return;
    }
    sdk::DispatchRequest request;
    request.method = "GET";
    request.path = context_.config.codex_path + "/responses";
    request.headers = common::forwardable(exchange, context_.config.forward_headers);
    request.route_class = sdk::RouteClass::ProxyWebsocket;
    request.session_key = common::sessionKey(exchange);
    const sdk::DispatchOutcome outcome = exchange.gateway().relayWebSocket(request, exchange);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        answerFailure(exchange, outcome);
    }
}

void ResponsesHandler::inputTokens(sdk::Exchange& exchange) {
    const auto request = readJsonBody(exchange);
    if (!request) {
        return;
    }
    const auto counted = translateInputTokensRequest(*request);
    if (!counted.ok()) {
        exchange.response().sendError(counted.error());
        return;
    }
    if (!context_.config.tokenizer) {
        exchange.response().sendError(common::tokenizerUnavailable());
        return;
    }
    sendJson(
        exchange, 200,
        {{"object", "response.input_tokens"},
         {"input_tokens", common::countInputTokens(counted.value(), *context_.config.tokenizer)}});
}

}  // namespace sluice::plugins::route_openai
