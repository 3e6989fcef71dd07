#pragma once

#include "model_catalog.hpp"
#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"

namespace sluice::plugins::route_openai {

/// POST /chat/completions: translated to a Codex Responses call (chat_request.hpp) and
/// answered as chat.completion chunks or one chat.completion object. Request threads.
class ChatHandler final {
public:
    ChatHandler(OpenAiContext& context, ModelCatalog& catalog)
        : context_(context), catalog_(catalog) {}

    void create(sdk::Exchange& exchange);

private:
    OpenAiContext& context_;
    ModelCatalog& catalog_;
};

}  // namespace sluice::plugins::route_openai
