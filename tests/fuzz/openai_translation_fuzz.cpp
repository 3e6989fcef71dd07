// The /v1 translators of route-openai on arbitrary input. The first byte picks the translator;
// the rest is its input, parsed the way the family parses request bodies and upstream events.
// Translators must never throw or crash, and what they produce must serialize.
#include <cstdint>
#include <string>
#include <string_view>

#include "chat_completion.hpp"
#include "chat_request.hpp"
#include "chat_stream.hpp"
#include "completion_request.hpp"
#include "completion_response.hpp"
#include "images_request.hpp"
#include "input_tokens_request.hpp"
#include "json_access.hpp"
#include "multipart_form.hpp"
#include "response_collector.hpp"
#include "responses_request.hpp"

namespace {

using sluice::plugins::route_openai::parseJson;
namespace openai = sluice::plugins::route_openai;

void serialize(const nlohmann::json& value) {
    (void)value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Newline-separated upstream event payloads, each also fed to a collector.
void stream(std::string_view input) {
    openai::ChatStreamTranslator translator({"chatcmpl-fuzz", 1, "gpt-5.5"},
                                            !input.empty() && input[0] % 2 == 0);
    openai::ChatStreamTranslator legacy({"cmpl-fuzz", 1, "gpt-5.5"}, true,
                                        &openai::textCompletionChunk);
    openai::ResponseCollector collector;
    while (!input.empty()) {
        const std::size_t end = input.find('\n');
        const std::string_view line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
        const nlohmann::json event = parseJson(line);
        const std::string type = openai::textOf(event, "type");
        (void)translator.onEvent(type, line);
        (void)legacy.onEvent(type, line);
        collector.add(type, line);
    }
    (void)translator.onInterrupted(
        {502, "server_error", "upstream_stream_interrupted", "cut", "", 0, ""});
    serialize(collector.response());
    serialize(openai::chatCompletion(collector.response(), {"chatcmpl-fuzz", 1, "gpt-5.5"}));
    serialize(openai::textCompletion(
        openai::chatCompletion(collector.response(), {"cmpl-fuzz", 1, "gpt-5.5"})));
}

void multipart(std::string_view input) {
    const std::size_t end = input.find('\n');
    const std::string_view content_type = input.substr(0, end);
    const std::string_view body =
        end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    const auto form = openai::MultipartForm::parse(content_type, body);
    if (!form.ok()) {
        return;
    }
    for (const auto& part : form.value().parts()) {
        if (part.body.data() < body.data() ||
            part.body.data() + part.body.size() > body.data() + body.size()) {
            __builtin_trap();  // parts must view the body
        }
    }
    const auto edit = openai::translateImageEdit(form.value(), "gpt-5.5");
    if (edit.ok()) {
        serialize(edit.value().body);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 6) {
        case 0: {
            const auto call = openai::translateChatRequest(parseJson(input));
            if (call.ok()) {
                serialize(call.value().body);
            }
            const auto legacy = openai::translateCompletionRequest(parseJson(input));
            if (legacy.ok()) {
                serialize(legacy.value().body);
            }
            break;
        }
        case 1: {
            const auto call = openai::normalizeResponsesRequest(parseJson(input));
            if (call.ok()) {
                serialize(call.value().body);
            }
            const auto counted = openai::translateInputTokensRequest(parseJson(input));
            if (counted.ok()) {
                serialize(counted.value());
            }
            break;
        }
        case 2:
            stream(input);
            break;
        case 3:
            serialize(openai::chatCompletion(parseJson(input), {"chatcmpl-fuzz", 1, "gpt-5.5"}));
            break;
        case 4:
            multipart(input);
            break;
        case 5: {
            const auto call = openai::translateImageGeneration(parseJson(input), "gpt-5.5");
            if (call.ok()) {
                serialize(call.value().body);
                const auto images = openai::imagesResponse(parseJson(input), call.value(), 1);
                if (images.ok()) {
                    serialize(images.value());
                }
            }
            break;
        }
    }
    return 0;
}
