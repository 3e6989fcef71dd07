#include "compaction_handler.hpp"

#include "compaction_request.hpp"
#include "json_access.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"

namespace sluice::plugins::route_openai {

void CompactionHandler::compact(sdk::Exchange& exchange) {
    if (context_.store == nullptr) {
        exchange.response().sendError(unsupportedEndpoint());
        return;
    }
    if (!emptyBody(exchange)) {
        return;
    }
    const std::string id(exchange.pathParam("id").value_or(""));
    const auto document = store_.found(exchange, sdk::StoredKind::Response, id);
    if (!document) {
        return;
    }
    auto compaction = compactionCall(*document, id);
    if (!compaction.ok()) {
        exchange.response().sendError(compaction.error());
        return;
    }
    CompactionCall& call = compaction.value();
    PreparedTurn turn;
    if (!prepareTurn(context_, catalog_, exchange, call.call, turn)) {
        return;
    }
    // The conversation's reasoning is readable only by the account that produced it.
    turn.request.previous_response_id = id;
    sdk::Headers kept;
    const auto response = collectAnswer(context_, exchange, turn.request, kept);
    if (!response) {
        return;
    }
    const auto answer = compactionAnswer(*response, call.conversation);
    if (!answer.ok()) {
        context_.logger.warn("compaction_malformed", {{"operation", exchange.operation()}});
        exchange.response().sendError(answer.error());
        return;
    }
    sendJson(exchange, 200, answer.value(), kept);
    store_.keepResponse(exchange, call.call, *response, call.conversation);
}

bool CompactionHandler::emptyBody(sdk::Exchange& exchange) {
    const auto body = exchange.readBody();
    if (!body) {
        return false;
    }
    if (body->find_first_not_of(" \t\r\n") == std::string::npos) {
        return true;
    }
    const nlohmann::json request = parseJson(*body);
    if (!request.is_object()) {
        exchange.response().sendError(invalidRequest("The request body must be a JSON object."));
        return false;
    }
    if (!request.empty()) {
        exchange.response().sendError(unsupportedParameter(
            request.begin().key(), "the stored response gives the model and the conversation"));
        return false;
    }
    return true;
}

}  // namespace sluice::plugins::route_openai
