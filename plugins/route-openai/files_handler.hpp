#pragma once

#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"
#include "upload_bridge.hpp"

namespace sluice::plugins::route_openai {

/// /files: list, upload (UploadBridge), retrieve; content and delete are refused after the
/// ownership check (file bytes stay upstream and the backend offers neither). Metadata comes
/// from the files.* operations, so every answer is scoped to the caller's pool. Request threads.
class FilesHandler final {
public:
    explicit FilesHandler(OpenAiContext& context) : context_(context), uploads_(context) {}

    void list(sdk::Exchange& exchange);
    void create(sdk::Exchange& exchange);
    void retrieve(sdk::Exchange& exchange);
    /// GET /files/{id}/content and DELETE /files/{id}.
    void refuse(sdk::Exchange& exchange);

private:
    OpenAiContext& context_;
    UploadBridge uploads_;
};

}  // namespace sluice::plugins::route_openai
