#pragma once

#include "openai_context.hpp"
#include "sluice/sdk/exchange.hpp"

namespace sluice::plugins::route_openai {

/// POST /audio/transcriptions: the client's multipart upload re-sent to the backend's
/// transcription endpoint (the audio part's bytes unchanged, the model set to the one the
/// backend transcribes with, language and prompt kept), answered as OpenAI transcription JSON
/// or plain text. Request threads.
class AudioHandler final {
public:
    explicit AudioHandler(OpenAiContext& context) : context_(context) {}

    void transcribe(sdk::Exchange& exchange);

private:
    OpenAiContext& context_;
};

/// True for the transcription model names /v1 accepts; each is served by the backend's one
/// transcription model.
bool isTranscriptionModel(std::string_view model) noexcept;

}  // namespace sluice::plugins::route_openai
