// Golden JSON-in/JSON-out cases for the Messages translators. Each golden/<kind>/<case>.in.json
// has a checked-in <case>.out.json with what the translator must produce; the cases document
// the translation rules as much as they test them.
#include <gtest/gtest.h>

#include <filesystem>

#include "anthropic_errors.hpp"
#include "message_stream.hpp"
#include "messages_request.hpp"
#include "tests/unit/plugins/golden_cases.hpp"

namespace sluice::plugins::route_anthropic {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

const ModelMap kModels({{"claude-opus", "gpt-5.5"}, {"claude-haiku", "gpt-5.4-mini"}}, "gpt-5.5");

json errorJson(const sdk::ErrorInfo& error) {
    const AnthropicError rendered = toAnthropic(error);
    return {{"status", rendered.status}, {"body", errorBody(rendered)}};
}

json translateRequest(const json& input) {
    const auto translation = translateMessages(input, kModels);
    if (const auto* error = std::get_if<sdk::ErrorInfo>(&translation)) {
        return errorJson(*error);
    }
    const MessagesCall& call = std::get<MessagesCall>(translation);
    return {{"body", call.body},
            {"client_model", call.client_model},
            {"model", call.model},
            {"client_stream", call.client_stream},
            {"continuity_key", call.continuity_key}};
}

const char* phaseName(MessageStream::Phase phase) {
    switch (phase) {
        case MessageStream::Phase::Waiting:
            return "waiting";
        case MessageStream::Phase::Open:
            return "open";
        case MessageStream::Phase::Finished:
            return "finished";
        case MessageStream::Phase::Failed:
            return "failed";
    }
    return "";
}

// {"events": [upstream event objects], "interrupted"} -> the client's frames as
// {"event", "data"}, the phase, and the whole message once finished.
json translateStream(const json& input) {
    MessageStream stream("msg_golden", input.value("model", "claude-sonnet-4-5"));
    std::string frames;
    for (const json& event : input.at("events")) {
        frames += stream.onEvent(event.value("type", ""), event.dump());
    }
    if (input.value("interrupted", false)) {
        frames += stream.onInterrupted(upstreamError("upstream_stream_interrupted"));
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
        const std::size_t newline = frame.find('\n');
        EXPECT_EQ(frame.rfind("event: ", 0), 0u) << frame;
        EXPECT_EQ(frame.compare(newline + 1, 6, "data: "), 0) << frame;
        const std::string event = frame.substr(7, newline - 7);
        const json data = json::parse(frame.substr(newline + 7));
        EXPECT_EQ(data.value("type", ""), event) << frame;
        out.push_back({{"event", event}, {"data", data}});
        at = end + 2;
    }
    json result{{"frames", out}, {"phase", phaseName(stream.phase())}};
    if (stream.phase() == MessageStream::Phase::Finished) {
        result["message"] = stream.message();
    }
    return result;
}

json translate(const std::string& kind, const json& input) {
    return kind == "messages_request" ? translateRequest(input) : translateStream(input);
}

class GoldenTranslationTest : public ::testing::TestWithParam<std::string> {};

TEST_P(GoldenTranslationTest, EveryCaseMatchesItsExpectedOutput) {
    const std::string kind = GetParam();
    sluice::testing::checkGoldenCases(fs::path(SLUICE_GOLDEN_DIR) / kind,
                                      [&](const json& input) { return translate(kind, input); });
}

INSTANTIATE_TEST_SUITE_P(Kinds, GoldenTranslationTest,
                         ::testing::Values("messages_request", "message_stream"));

}  // namespace
}  // namespace sluice::plugins::route_anthropic
