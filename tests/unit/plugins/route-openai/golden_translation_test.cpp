// Golden JSON-in/JSON-out cases for the /v1 translators. Each golden/<kind>/<case>.in.json has
// a checked-in <case>.out.json with what the translator must produce; the cases document the
// translation rules as much as they test them.
#include <gtest/gtest.h>

#include <filesystem>

#include "chat_completion.hpp"
#include "chat_request.hpp"
#include "chat_stream.hpp"
#include "completion_request.hpp"
#include "completion_response.hpp"
#include "input_tokens_request.hpp"
#include "responses_request.hpp"
#include "tests/unit/plugins/golden_cases.hpp"

namespace sluice::plugins::route_openai {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const ChatIdentity kIdentity{"chatcmpl-golden", 1700000000, "gpt-5.5"};
const ChatIdentity kCompletionIdentity{"cmpl-golden", 1700000000, "gpt-5.5"};

json errorJson(const sdk::ErrorInfo& error) {
    return {{"status", error.http_status},
            {"error",
             {{"type", error.type},
              {"code", error.code},
              {"param", error.param.empty() ? json(nullptr) : json(error.param)},
              {"message", error.message}}}};
}

json translateChat(const json& input,
                   Translated<ChatCall> (*translator)(const json&) = &translateChatRequest) {
    const auto call = translator(input);
    if (!call.ok()) {
        return errorJson(call.error());
    }
    return {{"body", call.value().body},
            {"model", call.value().model},
            {"client_stream", call.value().client_stream},
            {"include_usage", call.value().include_usage},
            {"prompt_cache_key", call.value().prompt_cache_key}};
}

json translateResponses(const json& input) {
    const auto call = normalizeResponsesRequest(input);
    if (!call.ok()) {
        return errorJson(call.error());
    }
    return {{"body", call.value().body},
            {"model", call.value().model},
            {"client_stream", call.value().client_stream},
            {"prompt_cache_key", call.value().prompt_cache_key},
            {"previous_response_id", call.value().previous_response_id}};
}

// {"include_usage", "events": [upstream event objects], "interrupted"} -> the client's frames,
// each a JSON object or the string "[DONE]".
json translateStream(const json& input, const ChatIdentity& identity = kIdentity,
                     ChatStreamTranslator::ChunkShape shape = nullptr) {
    ChatStreamTranslator translator(identity, input.value("include_usage", false), shape);
    std::string frames;
    for (const json& event : input.at("events")) {
        frames += translator.onEvent(event.value("type", ""), event.dump());
    }
    if (input.value("interrupted", false)) {
        sdk::ErrorInfo error{
            502, "server_error", "upstream_stream_interrupted", "upstream request failed", "", 0,
            ""};
        frames += translator.onInterrupted(error);
    }
    json out = json::array();
    std::size_t at = 0;
    while (at < frames.size()) {
        const std::size_t end = frames.find("\n\n", at);
        EXPECT_NE(end, std::string::npos) << "a frame without its blank line";
        if (end == std::string::npos) {
            break;
        }
        const std::string frame = frames.substr(at, end - at);
        EXPECT_EQ(frame.rfind("data: ", 0), 0u) << frame;
        const std::string data = frame.substr(6);
        out.push_back(data == "[DONE]" ? json(data) : json::parse(data));
        at = end + 2;
    }
    return out;
}

json translate(const std::string& kind, const json& input) {
    if (kind == "chat_request") {
        return translateChat(input);
    }
    if (kind == "responses_request") {
        return translateResponses(input);
    }
    if (kind == "chat_completion") {
        return chatCompletion(input, kIdentity);
    }
    if (kind == "completion_request") {
        return translateChat(input, &translateCompletionRequest);
    }
    if (kind == "completion") {
        return textCompletion(chatCompletion(input, kCompletionIdentity));
    }
    if (kind == "input_tokens_request") {
        const auto counted = translateInputTokensRequest(input);
        return counted.ok() ? counted.value() : errorJson(counted.error());
    }
    if (kind == "completion_stream") {
        return translateStream(input, kCompletionIdentity, &textCompletionChunk);
    }
    return translateStream(input);
}

class GoldenTranslationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTranslationTest, EveryCaseMatchesItsExpectedOutput) {
    const std::string kind = GetParam();
    sluice::testing::checkGoldenCases(fs::path(SLUICE_GOLDEN_DIR) / kind,
                                      [&](const json& input) { return translate(kind, input); });
}

INSTANTIATE_TEST_SUITE_P(Kinds, GoldenTranslationTest,
                         ::testing::Values("chat_request", "responses_request", "chat_completion",
                                           "chat_stream", "completion_request", "completion",
                                           "completion_stream", "input_tokens_request"));

}  // namespace
}  // namespace sluice::plugins::route_openai
