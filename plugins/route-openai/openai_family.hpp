#pragma once

#include <vector>

#include "audio_handler.hpp"
#include "chat_handler.hpp"
#include "compaction_handler.hpp"
#include "files_handler.hpp"
#include "images_handler.hpp"
#include "model_catalog.hpp"
#include "models_handler.hpp"
#include "openai_context.hpp"
#include "responses_handler.hpp"
#include "sluice/sdk/route_family.hpp"
#include "store_handler.hpp"
#include "usage_handler.hpp"

namespace sluice::plugins::route_openai {

/// The narrow OpenAI-compatible surface (/v1) for OpenAI SDK clients: models, Responses,
/// Chat Completions, usage, files, audio transcription and images, translated to Codex
/// backend calls that go through the same pool routing, failover and accounting as the
/// backend surface, and, when the operator turns the response store on, the stored answers'
/// routes. Endpoints it cannot serve answer a deterministic unsupported_endpoint without
/// dispatch. Errors use the OpenAI envelope and never carry upstream text.
class OpenAiFamily final : public sdk::RouteFamily {
public:
    /// `store` is the host's response store when `response_store` is on, else null.
    OpenAiFamily(OpenAiConfig config, sdk::HostServices& host, sdk::ResponseStore* store);

    std::vector<sdk::RouteSpec> routes() const override;
    void handle(sdk::Exchange& exchange) noexcept override;
    void sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept override;

private:
    void route(sdk::Exchange& exchange);

    OpenAiContext context_;
    ModelCatalog catalog_;
    StoreHandler store_;
    ModelsHandler models_;
    ResponsesHandler responses_;
    ChatHandler chat_;
    CompactionHandler compaction_;
    FilesHandler files_;
    AudioHandler audio_;
    ImagesHandler images_;
    UsageHandler usage_;
};

}  // namespace sluice::plugins::route_openai
