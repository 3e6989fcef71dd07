// Golden JSON-in/JSON-out cases for the /v1 translators. Each golden/<kind>/<case>.in.json has
// a checked-in <case>.out.json with what the translator must produce; the cases document the
// translation rules as much as they test them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "chat_completion.hpp"
#include "chat_request.hpp"
#include "chat_stream.hpp"
#include "responses_request.hpp"

namespace sluice::plugins::route_openai {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const ChatIdentity kIdentity{"chatcmpl-golden", 1700000000, "gpt-5.5"};

json errorJson(const sdk::ErrorInfo& error) {
    return {{"status", error.http_status},
            {"error",
             {{"type", error.type},
              {"code", error.code},
              {"param", error.param.empty() ? json(nullptr) : json(error.param)},
              {"message", error.message}}}};
}

json translateChat(const json& input) {
    const auto call = translateChatRequest(input);
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
json translateStream(const json& input) {
    ChatStreamTranslator translator(kIdentity, input.value("include_usage", false));
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
    return translateStream(input);
}

json readJson(const fs::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

class GoldenTranslationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTranslationTest, EveryCaseMatchesItsExpectedOutput) {
    const std::string kind = GetParam();
    const fs::path dir = fs::path(SLUICE_GOLDEN_DIR) / kind;
    const bool update = std::getenv("SLUICE_UPDATE_GOLDEN") != nullptr;
    std::size_t cases = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        const std::string name = entry.path().filename().string();
        if (name.size() < 8 || name.substr(name.size() - 8) != ".in.json") {
            continue;
        }
        ++cases;
        const std::string stem = name.substr(0, name.size() - 8);
        const fs::path expected_file = dir / (stem + ".out.json");
        const json actual = translate(kind, readJson(entry.path()));
        if (update) {
            std::ofstream(expected_file) << actual.dump(2) << "\n";
            continue;
        }
        ASSERT_TRUE(fs::exists(expected_file)) << expected_file << " is missing";
        const json expected = readJson(expected_file);
        EXPECT_EQ(actual, expected) << kind << "/" << stem << "\nexpected:\n"
                                    << expected.dump(2) << "\nactual:\n"
                                    << actual.dump(2);
    }
    EXPECT_GE(cases, 4u) << "too few golden cases in " << dir;
}

INSTANTIATE_TEST_SUITE_P(Kinds, GoldenTranslationTest,
                         ::testing::Values("chat_request", "responses_request", "chat_completion",
                                           "chat_stream"));

}  // namespace
}  // namespace sluice::plugins::route_openai
