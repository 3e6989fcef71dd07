#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "chat_request.hpp"
#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "turn_call.hpp"

namespace sluice::plugins::route_openai {

/// The opt-in local response store's side of /v1: keeps finished Responses and chat answers
/// (only queued to the host's store, never waiting on storage) and serves them back to the
/// key that created them: GET|DELETE /responses/{id}, GET /responses/{id}/input_items,
/// POST /responses/{id}/cancel (always a typed refusal: no background responses run here),
/// GET /chat/completions, GET|POST|PATCH|DELETE /chat/completions/{id} and
/// GET /chat/completions/{id}/messages (POST /responses/{id}/compact: CompactionHandler). With
/// the store off every one of these routes answers unsupported_endpoint. Request threads.
class StoreHandler final {
public:
    explicit StoreHandler(OpenAiContext& context) : context_(context) {}

    /// True when a finished answer of `call` is kept (the store is on and the client did not
    /// refuse it), so a streamed answer must also be recorded.
    bool keeps(const TurnCall& call) const noexcept { return context_.store && call.store; }

    /// Keeps a finished Responses answer when the store is on and the client did not say
    /// `store: false`.
    void keepResponse(const sdk::Exchange& exchange, const TurnCall& call,
                      const nlohmann::json& response);
    /// The same with the input items it is kept with (a compaction keeps the conversation it
    /// compacted, not the turn that compacted it).
    void keepResponse(const sdk::Exchange& exchange, const TurnCall& call,
                      const nlohmann::json& response, const nlohmann::json& input);
    /// Keeps a chat.completion and the messages that asked for it when the store is on and the
    /// client said `store: true`.
    void keepChat(const sdk::Exchange& exchange, const ChatCall& call,
                  const nlohmann::json& completion);

    /// Serves one of the store's routes, named by the exchange's operation.
    void serve(sdk::Exchange& exchange);

    /// The caller's stored document as JSON, or nullopt after answering the error (404
    /// not_found for another key's id).
    std::optional<nlohmann::json> found(sdk::Exchange& exchange, sdk::StoredKind kind,
                                        const std::string& id);

private:
    void retrieveResponse(sdk::Exchange& exchange, const std::string& id);
    void deleteResponse(sdk::Exchange& exchange, const std::string& id);
    /// A list of a stored document's items: a response's input items (newest first by
    /// default), a chat completion's messages (oldest first).
    struct ItemList {
        sdk::StoredKind kind;
        const char* member;
        bool ascending;  ///< the default order
    };
    void listItems(sdk::Exchange& exchange, const ItemList& list, const std::string& id);
    void cancelResponse(sdk::Exchange& exchange, const std::string& id);
    void listChats(sdk::Exchange& exchange);
    void retrieveChat(sdk::Exchange& exchange, const std::string& id);
    void updateChat(sdk::Exchange& exchange, const std::string& id);
    void deleteChat(sdk::Exchange& exchange, const std::string& id);
    void keep(const sdk::Exchange& exchange, sdk::StoredKind kind, const std::string& id,
              const std::string& model, const nlohmann::json& document);

    OpenAiContext& context_;
};

}  // namespace sluice::plugins::route_openai
