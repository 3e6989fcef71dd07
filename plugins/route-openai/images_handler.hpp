#pragma once

#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"

namespace sluice::plugins::route_openai {

struct ImageCall;

/// POST /images/generations and /images/edits: one Codex Responses call forced to use the
/// image_generation tool (images_request.hpp), its image_generation_call output reassembled
/// into the OpenAI images response. Request threads.
class ImagesHandler final {
public:
    explicit ImagesHandler(OpenAiContext& context) : context_(context) {}

    void generate(sdk::Exchange& exchange);
    void edit(sdk::Exchange& exchange);

private:
    void run(sdk::Exchange& exchange, const ImageCall& call);

    OpenAiContext& context_;
};

}  // namespace sluice::plugins::route_openai
