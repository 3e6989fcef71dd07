#include "run_request.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;

TEST(RunRequestTest, AcceptsTheSeedsShape) {
    auto parsed = parseRunRequest(json::parse(R"({
        "messages": [{"role": "user", "content": "What files are in the workspace?"}],
        "system_prompt": "You are a helpful assistant.", "model": "gpt-4o-mini",
        "workspace": "proj", "session_id": "session-abc123", "timeout_ms": 120000,
        "json_mode": true, "env": {"MY_VAR": "value"}, "metadata": {"source": "api"}})"),
                                  BodyKind::Completion);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    EXPECT_EQ(parsed->prompt,
              "System:\nYou are a helpful assistant.\n\nWhat files are in the workspace?");
    EXPECT_EQ(parsed->model, "gpt-4o-mini");
    EXPECT_EQ(parsed->workspace, "proj");
    EXPECT_EQ(parsed->session_id, "session-abc123");
    EXPECT_EQ(parsed->timeout->count(), 120000);
    EXPECT_TRUE(parsed->include_events);
    EXPECT_EQ(parsed->env.at("MY_VAR"), "value");
    EXPECT_EQ(parsed->metadata["source"], "api");
}

TEST(RunRequestTest, AcceptsTheCodesAliasesAndAPlainPrompt) {
    auto parsed = parseRunRequest(
        json::parse(
            R"({"prompt": "hi", "cwd": "w", "max_duration_ms": 5000, "secure_session": true})"),
        BodyKind::Completion);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->prompt, "hi");
    EXPECT_EQ(parsed->workspace, "w");
    EXPECT_EQ(parsed->timeout->count(), 5000);
    EXPECT_TRUE(parsed->secure);
    EXPECT_EQ(parsed->messages.size(), 1u);
}

TEST(RunRequestTest, KeepsTheCodesSessionExtras) {
    auto parsed = parseRunRequest(
        json{{"prompt", "x"}, {"objective", "ship it"}, {"nudge_prompt", "keep going"}},
        BodyKind::Completion);
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->objective, "ship it");
    EXPECT_EQ(parsed->nudge_prompt, "keep going");
}

TEST(RunRequestTest, AConversationBecomesARoleLabelledTranscript) {
    EXPECT_EQ(assemblePrompt("", json::parse(R"([{"role":"user","content":"a"},
        {"role":"assistant","content":"b"},{"role":"user","content":"c"}])")),
              "User:\na\n\nAssistant:\nb\n\nUser:\nc\n\nAssistant:");
}

TEST(RunRequestTest, RefusesVariablesThatChangeHowTheChildFindsCode) {
    for (const char* name : {"LD_PRELOAD", "PATH", "CODEX_HOME", "NODE_OPTIONS"}) {
        auto parsed =
            parseRunRequest(json{{"prompt", "x"}, {"env", {{name, "y"}}}}, BodyKind::Completion);
        ASSERT_FALSE(parsed.ok()) << name;
        EXPECT_NE(parsed.status().message().find(name), std::string::npos);
    }
}

TEST(RunRequestTest, RefusesBadShapes) {
    EXPECT_EQ(parseRunRequest(json::object(), BodyKind::Completion).status().message(),
              "messages or prompt is required");
    EXPECT_FALSE(parseRunRequest(json{{"prompt", 3}}, BodyKind::Completion).ok());
    EXPECT_FALSE(
        parseRunRequest(json{{"prompt", "x"}, {"timeout_ms", -1}}, BodyKind::Completion).ok());
    EXPECT_FALSE(
        parseRunRequest(json{{"prompt", "x"}, {"env", {{"A", 1}}}}, BodyKind::Completion).ok());
    EXPECT_FALSE(
        parseRunRequest(json{{"prompt", "x"}, {"env", {{"A=B", "1"}}}}, BodyKind::Completion).ok());
    EXPECT_FALSE(
        parseRunRequest(json{{"prompt", "x"}, {"metadata", "no"}}, BodyKind::Completion).ok());
    EXPECT_FALSE(parseRunRequest(json{{"messages", "no"}}, BodyKind::Completion).ok());
}

TEST(RunRequestTest, ANudgeFallsBackToTheStoredPrompt) {
    auto parsed = parseRunRequest(json::object(), BodyKind::Nudge, "try again");
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(parsed->prompt, "try again");
    EXPECT_EQ(parseRunRequest(json::object(), BodyKind::Nudge).status().message(),
              "No nudge prompt configured");
}

TEST(RunRequestTest, PromptAndNudgeIgnoreASessionIdInTheBody) {
    auto parsed = parseRunRequest(json{{"prompt", "x"}, {"session_id", "other"}}, BodyKind::Prompt);
    ASSERT_TRUE(parsed.ok());
    EXPECT_TRUE(parsed->session_id.empty());
}

}  // namespace
}  // namespace sluice::plugins::route_runner
