#pragma once

#include "model_catalog.hpp"
#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "store_handler.hpp"

namespace sluice::plugins::route_openai {

/// POST /responses (streamed or collected into one object), POST /responses/compact (the
/// backend's legacy compaction, one account, never failed over), GET /responses (the narrow
/// websocket: frames relayed verbatim to the Codex backend) and POST /responses/input_tokens
/// (counted locally, no upstream call). Finished answers go to the response store when it is
/// on. Request threads.
class ResponsesHandler final {
public:
    ResponsesHandler(OpenAiContext& context, ModelCatalog& catalog, StoreHandler& store)
        : context_(context), catalog_(catalog), store_(store) {}

    void create(sdk::Exchange& exchange);
    void compact(sdk::Exchange& exchange);
    void websocket(sdk::Exchange& exchange);
    void inputTokens(sdk::Exchange& exchange);

private:
    OpenAiContext& context_;
    ModelCatalog& catalog_;
    StoreHandler& store_;
};

/// The SSE frame that ends a /v1 Responses stream the upstream broke off: a typed `error`
/// event, so clients never take it for a complete answer.
std::string interruptedEvent(const sdk::ErrorInfo& error);

}  // namespace sluice::plugins::route_openai
