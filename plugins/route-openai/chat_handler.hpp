#pragma once

#include "chat_request.hpp"
#include "chat_stream.hpp"
#include "model_catalog.hpp"
#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "store_handler.hpp"

namespace sluice::plugins::route_openai {

/// POST /chat/completions and the legacy POST /completions: translated to a Codex Responses
/// call (chat_request.hpp, completion_request.hpp) and answered as chunks or one object, chat
/// answers reshaped into text_completion ones for the legacy endpoint. Request threads.
class ChatHandler final {
public:
    ChatHandler(OpenAiContext& context, ModelCatalog& catalog, StoreHandler& store)
        : context_(context), catalog_(catalog), store_(store) {}

    void create(sdk::Exchange& exchange);
    void complete(sdk::Exchange& exchange);

private:
    /// How one endpoint's requests and answers differ from chat's.
    struct Dialect {
        Translated<ChatCall> (*translate)(const nlohmann::json&);
        const char* id_prefix;
        nlohmann::json (*answer)(const nlohmann::json& chat_completion);  ///< null: as is
        ChatStreamTranslator::ChunkShape chunk_shape;                     ///< null: as is
        bool stored;  ///< answers go to the response store (chat; never legacy completions)
    };

    void serve(sdk::Exchange& exchange, const Dialect& dialect);

    OpenAiContext& context_;
    ModelCatalog& catalog_;
    StoreHandler& store_;
};

}  // namespace sluice::plugins::route_openai
