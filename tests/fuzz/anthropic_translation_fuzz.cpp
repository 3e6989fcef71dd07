// The Messages translators of route-anthropic on arbitrary input. The first byte picks the
// translator; the rest is its input, parsed the way the family parses request bodies and
// upstream events. Translators must never throw or crash, and what they produce must serialize.
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "message_stream.hpp"
#include "messages_request.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/input_tokens.hpp"

namespace {

namespace anthropic = sluice::plugins::route_anthropic;
using sluice::plugins::common::parseJson;

const anthropic::ModelMap kModels({{"claude-opus", "gpt-5.5"}}, "gpt-5.5");

// The o200k pre-tokenizer and BPE over single bytes and a few merges: what the fuzzer reaches
// is the splitting and merging, which do not depend on the real ranks.
const sluice::plugins::common::O200kTokenizer& tokenizer() {
    static const sluice::plugins::common::O200kTokenizer instance([] {
        sluice::plugins::common::O200kTokenizer::Ranks ranks;
        for (int byte = 0; byte < 256; ++byte) {
            ranks.emplace(std::string(1, static_cast<char>(byte)), byte);
        }
        std::uint32_t next = 256;
        for (const char* merge : {"th", "the", " the", "in", "ing", "  ", "\n\n", "12"}) {
            ranks.emplace(merge, next++);
        }
        return ranks;
    }());
    return instance;
}

void request(std::string_view input, anthropic::Purpose purpose) {
    const auto translation = anthropic::translateMessages(parseJson(input), kModels, purpose);
    if (const auto* call = std::get_if<anthropic::MessagesCall>(&translation)) {
        (void)call->body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        (void)sluice::plugins::common::countInputTokens(call->body, tokenizer());
    }
}

// Newline-separated upstream event payloads.
void stream(std::string_view input) {
    anthropic::MessageStream translator("msg_fuzz", "claude-sonnet-4-5");
    while (!input.empty()) {
        const std::size_t end = input.find('\n');
        const std::string_view line = input.substr(0, end);
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
        const nlohmann::json event = parseJson(line);
        const std::string type =
            event.is_object() && event.contains("type") && event["type"].is_string()
                ? event["type"].get<std::string>()
                : "";
        (void)translator.onEvent(type, line);
    }
    (void)translator.onInterrupted(
        {502, "api_error", "upstream_stream_interrupted", "cut", "", 0, ""});
    (void)translator.message().dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 3) {
        case 0:
            request(input, anthropic::Purpose::Create);
            break;
        case 1:
            request(input, anthropic::Purpose::CountTokens);
            (void)tokenizer().encode(input);
            break;
        case 2:
            stream(input);
            break;
    }
    return 0;
}
