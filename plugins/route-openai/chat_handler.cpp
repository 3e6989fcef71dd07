#include "chat_handler.hpp"

#include "chat_completion.hpp"
#include "chat_request.hpp"
#include "chat_sse_sink.hpp"
#include "collected_turn.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"

namespace sluice::plugins::route_openai {

void ChatHandler::create(sdk::Exchange& exchange) {
    const auto body = readJsonBody(exchange);
    if (!body) {
        return;
    }
    auto call = translateChatRequest(*body);
    if (!call.ok()) {
        exchange.response().sendError(call.error());
        return;
    }
    PreparedTurn turn;
    if (!prepareTurn(context_, catalog_, exchange, call.value(), turn)) {
        return;
    }
    const ChatIdentity identity{newId(context_, "chatcmpl-"), unixNow(context_), call.value().model};

    if (!call.value().client_stream) {
        sdk::DispatchOutcome outcome;
        const auto response = collectTurn(exchange.gateway(), turn.request, context_.config.max_response_bytes, outcome);
        if (!response.ok()) {
            exchange.response().sendError(response.error());
            return;
        }
        sendJson(exchange, 200, chatCompletion(response.value(), identity));
        return;
    }
    ChatSseSink sink(exchange.response(), identity, call.value().include_usage);
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(turn.request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        answerFailure(exchange, outcome);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted ||
               (outcome.status == sdk::DispatchStatus::Completed && !sink.finished())) {
        context_.logger.warn("stream_interrupted", {{"operation", exchange.operation()}});
        sink.interrupt(upstreamError("upstream_stream_interrupted"));
    }
}

}  // namespace sluice::plugins::route_openai
