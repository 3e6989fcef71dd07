#pragma once

#include "model_catalog.hpp"
#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "store_handler.hpp"

namespace sluice::plugins::route_openai {

/// POST /responses/{id}/compact with the response store on: the caller's kept response is
/// compacted by a normal dispatched turn (admission, routing, settle and usage as for any
/// turn; pinned to the account that produced the response when it is still known), answered
/// as OpenAI's `response.compaction` object and kept as a new response whose input is the
/// compacted conversation. With the store off: unsupported_endpoint, nothing dispatched.
/// Request threads.
class CompactionHandler final {
public:
    CompactionHandler(OpenAiContext& context, ModelCatalog& catalog, StoreHandler& store)
        : context_(context), catalog_(catalog), store_(store) {}

    void compact(sdk::Exchange& exchange);

private:
    /// True when the body is empty or `{}`: the stored response says everything; else the
    /// error is answered.
    bool emptyBody(sdk::Exchange& exchange);

    OpenAiContext& context_;
    ModelCatalog& catalog_;
    StoreHandler& store_;
};

}  // namespace sluice::plugins::route_openai
