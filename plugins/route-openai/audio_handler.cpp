#include "audio_handler.hpp"

#include <algorithm>
#include <array>

#include "json_access.hpp"
#include "multipart_form.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"

namespace sluice::plugins::route_openai {

namespace {

constexpr std::array<std::string_view, 4> kModels{"gpt-4o-transcribe", "gpt-transcribe",
                                                  "gpt-4o-mini-transcribe", "whisper-1"};

struct Transcription {
    const FormPart* file = nullptr;
    std::string model;
    std::string response_format = "json";
    std::string language;
    std::string prompt;
};

std::optional<sdk::ErrorInfo> readFields(const MultipartForm& form, Transcription& out) {
    for (const FormPart& part : form.parts()) {
        const std::string value(part.is_file ? std::string_view() : part.body);
        if (part.name == "file" && part.is_file) {
            out.file = &part;
        } else if (part.is_file) {
            return unsupportedParameter(part.name);
        } else if (part.name == "model") {
            out.model = value;
        } else if (part.name == "response_format") {
            out.response_format = value;
        } else if (part.name == "language") {
            out.language = value;
        } else if (part.name == "prompt") {
            out.prompt = value;
        } else if (part.name == "temperature") {
            continue;  // accepted, not forwarded: the backend takes no sampling settings
        } else if (part.name == "stream") {
            if (value != "false") {
                return unsupportedValue(
                    "stream", "Streaming transcription is not supported by this gateway.");
            }
        } else {
            return unsupportedParameter(part.name);
        }
    }
    if (out.file == nullptr) {
        return missingParameter("file");
    }
    if (out.model.empty()) {
        return missingParameter("model");
    }
    if (!isTranscriptionModel(out.model)) {
        return modelNotAvailable(out.model);
    }
    if (out.response_format != "json" && out.response_format != "text") {
        return unsupportedValue("response_format", "'response_format' must be 'json' or 'text'.");
    }
    if (out.file->body.empty()) {
        return invalidValue("file", "The audio file is empty.");
    }
    return std::nullopt;
}

}  // namespace

bool isTranscriptionModel(std::string_view model) noexcept {
    return std::find(kModels.begin(), kModels.end(), model) != kModels.end();
}

void AudioHandler::transcribe(sdk::Exchange& exchange) {
    const auto form = readForm(exchange);
    if (!form) {
        return;
    }
    Transcription request;
    if (auto error = readFields(*form, request)) {
        exchange.response().sendError(*error);
        return;
    }
    if (request.file->body.size() > context_.config.max_audio_bytes) {
        sdk::ErrorInfo error =
            invalidValue("file", "The audio file is larger than " +
                                     std::to_string(context_.config.max_audio_bytes) + " bytes.");
        error.http_status = 413;
        error.code = "file_too_large";
        exchange.response().sendError(error);
        return;
    }
    MultipartWriter writer("sluice-" + newId(context_, ""));
    writer.file("file", request.file->filename.empty() ? "audio" : request.file->filename,
                request.file->content_type, request.file->body);
    writer.field("model", context_.config.transcription_model);
    if (!request.language.empty()) {
        writer.field("language", request.language);
    }
    if (!request.prompt.empty()) {
        writer.field("prompt", request.prompt);
    }
    const std::string content_type = writer.contentType();
    const std::string body = writer.finish();

    sdk::DispatchRequest dispatch;
    dispatch.method = "POST";
    dispatch.path = context_.config.backend_path + "/transcribe";
    dispatch.headers = {{"Content-Type", content_type}};
    dispatch.body = body;
    dispatch.model = context_.config.transcription_model;
    dispatch.route_class = sdk::RouteClass::AudioTranscription;
    common::CollectingSink sink;
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(dispatch, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        answerFailure(exchange, outcome);
        return;
    }
    const nlohmann::json reply = parseJson(sink.body());
    if (outcome.status != sdk::DispatchStatus::Completed || sink.head().status / 100 != 2 ||
        !isString(reply, "text")) {
        exchange.response().sendError(upstreamError("transcription_failed"));
        return;
    }
    if (request.response_format == "text") {
        exchange.response().send(200, {{"Content-Type", "text/plain; charset=utf-8"}},
                                 reply["text"].get<std::string>());
        return;
    }
    sendJson(exchange, 200, {{"text", reply["text"]}});
}

}  // namespace sluice::plugins::route_openai
