#include "chat_handler.hpp"

#include "chat_completion.hpp"
#include "chat_request.hpp"
#include "chat_sse_sink.hpp"
#include "collected_turn.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"
#include "sluice/plugins/common/file_owners.hpp"

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
    if (auto error = catalog_.check(exchange, call.value().model)) {
        exchange.response().sendError(*error);
        return;
    }
    const ChatIdentity identity{newId(context_, "chatcmpl-"), unixNow(context_), call.value().model};
    const std::string upstream_body = call.value().body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    sdk::DispatchRequest request =
        turnRequest(context_, exchange, upstream_body, call.value().model, call.value().client_stream);
    request.prompt_cache_key = call.value().prompt_cache_key;
    if (auto error = common::pinToFileOwner(exchange.gateway(), call.value().body["input"], request)) {
        exchange.response().sendError(*error);
        return;
    }

    if (!call.value().client_stream) {
        sdk::DispatchOutcome outcome;
        const auto response = collectTurn(exchange.gateway(), request, context_.config.max_response_bytes, outcome);
        if (!response.ok()) {
            exchange.response().sendError(response.error());
            return;
        }
        sendJson(exchange, 200, chatCompletion(response.value(), identity));
        return;
    }
    ChatSseSink sink(exchange.response(), identity, call.value().include_usage);
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        answerFailure(exchange, outcome);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted ||
               (outcome.status == sdk::DispatchStatus::Completed && !sink.finished())) {
        context_.logger.warn("stream_interrupted", {{"operation", exchange.operation()}});
        sink.interrupt(upstreamError("upstream_stream_interrupted"));
    }
}

}  // namespace sluice::plugins::route_openai
