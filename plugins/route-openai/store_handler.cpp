#include "store_handler.hpp"

#include <algorithm>

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"
#include "stored_documents.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

const char* kindLabel(sdk::StoredKind kind) {
    return kind == sdk::StoredKind::Response ? "Response" : "Chat completion";
}

sdk::ErrorInfo storeFailure() {
    return {500, "server_error", "store_unavailable", "the response store could not be read", "", 0,
            ""};
}

}  // namespace

void StoreHandler::keep(const sdk::Exchange& exchange, sdk::StoredKind kind, const std::string& id,
                        const std::string& model, const json& document) {
    if (id.empty()) {
        return;
    }
    const auto now = context_.host.clock().now();
    context_.store->keep(
        exchange.principal().id,
        {id, kind, model, now, now + context_.config.response_store_retention, document.dump()});
}

void StoreHandler::keepResponse(const sdk::Exchange& exchange, const TurnCall& call,
                                const json& response) {
    keepResponse(exchange, call, response, member(call.body, "input"));
}

void StoreHandler::keepResponse(const sdk::Exchange& exchange, const TurnCall& call,
                                const json& response, const json& input) {
    if (!keeps(call)) {
        return;
    }
    keep(exchange, sdk::StoredKind::Response, textOf(response, "id"), call.model,
         responseDocument(response, input, call.metadata));
}

void StoreHandler::keepChat(const sdk::Exchange& exchange, const ChatCall& call,
                            const json& completion) {
    if (!keeps(call)) {
        return;
    }
    keep(exchange, sdk::StoredKind::ChatCompletion, textOf(completion, "id"), call.model,
         chatDocument(completion, call.metadata, call.messages));
}

void StoreHandler::serve(sdk::Exchange& exchange) {
    if (context_.store == nullptr) {
        exchange.response().sendError(unsupportedEndpoint());
        return;
    }
    const std::string_view operation = exchange.operation();
    const std::string id(exchange.pathParam("id").value_or(""));
    if (operation == "openai.responses_get") {
        retrieveResponse(exchange, id);
    } else if (operation == "openai.responses_delete") {
        deleteResponse(exchange, id);
    } else if (operation == "openai.responses_input_items") {
        listItems(exchange, {sdk::StoredKind::Response, "input_items", false}, id);
    } else if (operation == "openai.responses_cancel") {
        cancelResponse(exchange, id);
    } else if (operation == "openai.chat_list") {
        listChats(exchange);
    } else if (operation == "openai.chat_get") {
        retrieveChat(exchange, id);
    } else if (operation == "openai.chat_update") {
        updateChat(exchange, id);
    } else if (operation == "openai.chat_messages") {
        listItems(exchange, {sdk::StoredKind::ChatCompletion, "messages", true}, id);
    } else {
        deleteChat(exchange, id);
    }
}

std::optional<json> StoreHandler::found(sdk::Exchange& exchange, sdk::StoredKind kind,
                                        const std::string& id) {
    auto document = context_.store->find(exchange.principal().id, kind, id);
    if (!document.ok()) {
        exchange.response().sendError(document.status().code() == sdk::StatusCode::NotFound
                                          ? storedNotFound(kindLabel(kind), id)
                                          : storeFailure());
        return std::nullopt;
    }
    json parsed = parseJson(document->body);
    if (!parsed.is_object()) {
        exchange.response().sendError(storeFailure());
        return std::nullopt;
    }
    return parsed;
}

void StoreHandler::retrieveResponse(sdk::Exchange& exchange, const std::string& id) {
    if (auto document = found(exchange, sdk::StoredKind::Response, id)) {
        sendJson(exchange, 200, (*document)["response"]);
    }
}

void StoreHandler::deleteResponse(sdk::Exchange& exchange, const std::string& id) {
    const sdk::Status removed =
        context_.store->remove(exchange.principal().id, sdk::StoredKind::Response, id);
    if (!removed.ok()) {
        exchange.response().sendError(removed.code() == sdk::StatusCode::NotFound
                                          ? storedNotFound("Response", id)
                                          : storeFailure());
        return;
    }
    sendJson(exchange, 200, {{"id", id}, {"object", "response"}, {"deleted", true}});
}

void StoreHandler::listItems(sdk::Exchange& exchange, const ItemList& list, const std::string& id) {
    const auto query = parseListQuery(exchange.query(), list.ascending, false);
    if (!query.ok()) {
        exchange.response().sendError(query.error());
        return;
    }
    if (auto document = found(exchange, list.kind, id)) {
        sendJson(exchange, 200, itemsPage(member(*document, list.member), query.value()));
    }
}

void StoreHandler::cancelResponse(sdk::Exchange& exchange, const std::string& id) {
    // Every response this gateway keeps has finished: background mode is refused at creation,
    // so there is never a running response to cancel.
    if (found(exchange, sdk::StoredKind::Response, id)) {
        exchange.response().sendError(notCancellable(id));
    }
}

void StoreHandler::listChats(sdk::Exchange& exchange) {
    const auto parsed = parseListQuery(exchange.query(), true, true);
    if (!parsed.ok()) {
        exchange.response().sendError(parsed.error());
        return;
    }
    const ListQuery& query = parsed.value();
    sdk::StoredDocumentQuery page{sdk::StoredKind::ChatCompletion,
                                  query.model,
                                  query.after,
                                  query.ascending,
                                  query.limit + 1,
                                  nullptr};
    if (!query.metadata.empty()) {
        page.keep = [&query](const sdk::StoredDocument& document) {
            return metadataMatches(member(parseJson(document.body), "completion"), query);
        };
    }
    auto documents = context_.store->list(exchange.principal().id, page);
    if (!documents.ok()) {
        exchange.response().sendError(storeFailure());
        return;
    }
    std::vector<json> data;
    for (const sdk::StoredDocument& document : documents.value()) {
        data.push_back(member(parseJson(document.body), "completion"));
    }
    const bool has_more = data.size() > query.limit;
    data.resize(std::min<std::size_t>(data.size(), query.limit));
    sendJson(exchange, 200, listPage(std::move(data), has_more));
}

void StoreHandler::retrieveChat(sdk::Exchange& exchange, const std::string& id) {
    if (auto document = found(exchange, sdk::StoredKind::ChatCompletion, id)) {
        sendJson(exchange, 200, (*document)["completion"]);
    }
}

void StoreHandler::updateChat(sdk::Exchange& exchange, const std::string& id) {
    const auto body = readJsonBody(exchange);
    if (!body) {
        return;
    }
    for (const auto& [name, value] : body->items()) {
        if (name != "metadata") {
            exchange.response().sendError(unsupportedParameter(name));
            return;
        }
    }
    const json& metadata = member(*body, "metadata");
    const bool strings =
        metadata.is_object() && std::all_of(metadata.begin(), metadata.end(),
                                            [](const json& value) { return value.is_string(); });
    if (!strings) {
        exchange.response().sendError(
            metadata.is_null()
                ? missingParameter("metadata")
                : invalidValue("metadata", "'metadata' must be an object of string values."));
        return;
    }
    auto document = found(exchange, sdk::StoredKind::ChatCompletion, id);
    if (!document) {
        return;
    }
    (*document)["completion"]["metadata"] = metadata;
    const sdk::Status updated =
        context_.store->update(exchange.principal().id,
                               {id, sdk::StoredKind::ChatCompletion, "", {}, {}, document->dump()});
    if (!updated.ok()) {
        exchange.response().sendError(updated.code() == sdk::StatusCode::NotFound
                                          ? storedNotFound("Chat completion", id)
                                          : storeFailure());
        return;
    }
    sendJson(exchange, 200, (*document)["completion"]);
}

void StoreHandler::deleteChat(sdk::Exchange& exchange, const std::string& id) {
    const sdk::Status removed =
        context_.store->remove(exchange.principal().id, sdk::StoredKind::ChatCompletion, id);
    if (!removed.ok()) {
        exchange.response().sendError(removed.code() == sdk::StatusCode::NotFound
                                          ? storedNotFound("Chat completion", id)
                                          : storeFailure());
        return;
    }
    sendJson(exchange, 200, {{"id", id}, {"object", "chat.completion.deleted"}, {"deleted", true}});
}

}  // namespace sluice::plugins::route_openai
