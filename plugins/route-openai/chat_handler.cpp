#include "chat_handler.hpp"

#include "chat_completion.hpp"
#include "chat_request.hpp"
#include "chat_sse_sink.hpp"
#include "completion_request.hpp"
#include "completion_response.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"
#include "recording_sink.hpp"

namespace sluice::plugins::route_openai {

void ChatHandler::create(sdk::Exchange& exchange) {
    serve(exchange, {&translateChatRequest, "chatcmpl-", nullptr, nullptr, true});
}

void ChatHandler::complete(sdk::Exchange& exchange) {
    serve(exchange,
          {&translateCompletionRequest, "cmpl-", &textCompletion, &textCompletionChunk, false});
}

void ChatHandler::serve(sdk::Exchange& exchange, const Dialect& dialect) {
    PreparedTurn turn;
    const auto call = readTurn(context_, catalog_, exchange, dialect.translate, turn);
    if (!call) {
        return;
    }
    const ChatIdentity identity{newId(context_, dialect.id_prefix), unixNow(context_), call->model};

    if (!call->client_stream) {
        sdk::Headers kept;
        const auto response = collectAnswer(context_, exchange, turn.request, kept);
        if (!response) {
            return;
        }
        const nlohmann::json answer = chatCompletion(*response, identity);
        sendJson(exchange, 200, dialect.answer ? dialect.answer(answer) : answer, kept);
        if (dialect.stored) {
            store_.keepChat(exchange, *call, answer);
        }
        return;
    }
    ChatSseSink sink(exchange.response(), identity, call->include_usage, dialect.chunk_shape);
    RecordingSink recording(sink, context_.config.max_response_bytes);
    const bool keeps = dialect.stored && store_.keeps(*call);
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(
        turn.request, keeps ? static_cast<sdk::DispatchSink&>(recording) : sink);
    if (outcome.status == sdk::DispatchStatus::Completed && sink.finished() && keeps) {
        if (const auto finished = recording.finished()) {
            store_.keepChat(exchange, *call, chatCompletion(*finished, identity));
        }
    }
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        answerFailure(exchange, outcome);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted ||
               (outcome.status == sdk::DispatchStatus::Completed && !sink.finished())) {
        context_.logger.warn("stream_interrupted", {{"operation", exchange.operation()}});
        sink.interrupt(outcome.status == sdk::DispatchStatus::Interrupted
                           ? outcome.error
                           : upstreamError("upstream_stream_interrupted"));
    }
}

}  // namespace sluice::plugins::route_openai
