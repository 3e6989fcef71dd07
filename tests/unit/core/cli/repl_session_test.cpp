#include "core/cli/repl_session.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace sluice::core::cli {
namespace {

using json = nlohmann::json;

struct Call {
    std::string method;
    std::string path;
    std::string body;
};

class ReplSessionTest : public ::testing::Test {
protected:
    ReplSession session_{
        [this](const std::string& method, const std::string& path, const std::string& body) {
            calls_.push_back({method, path, body});
            return reply_;
        },
        out_};
    std::vector<Call> calls_;
    ReplReply reply_{200, R"({"session_id":"session-1","output":"answer","usage":{"total_tokens":3},
        "events":[{"type":"item.completed","item":{"type":"agent_message","text":"answer"}},
                  {"type":"item.completed","item":{"type":"command_execution","command":"ls",
                   "aggregated_output":"a.txt\n"}}]})"};
    std::ostringstream out_;
};

TEST_F(ReplSessionTest, RunPostsACompletionWithTimeoutAndEnv) {
    session_.execute("timeout 30");
    session_.execute("setenv MY_VAR value");
    session_.execute("run list markdown files");
    ASSERT_EQ(calls_.size(), 1u);
    EXPECT_EQ(calls_[0].method, "POST");
    EXPECT_EQ(calls_[0].path, "/completion");
    const json body = json::parse(calls_[0].body);
    EXPECT_EQ(body["messages"][0]["content"], "list markdown files");
    EXPECT_EQ(body["timeout_ms"], 30000);
    EXPECT_EQ(body["env"]["MY_VAR"], "value");
    EXPECT_NE(out_.str().find("\"output\": \"answer\""), std::string::npos) << "full mode: JSON";
}

TEST_F(ReplSessionTest, UsePinsTheSessionForLaterRuns) {
    session_.execute("use session-abc123");
    session_.execute("run continue with summaries");
    ASSERT_EQ(calls_.size(), 1u);
    EXPECT_EQ(calls_[0].path, "/sessions/session-abc123/prompt");
    EXPECT_EQ(json::parse(calls_[0].body)["prompt"], "continue with summaries");
}

TEST_F(ReplSessionTest, CompactModePrintsMessagesCommandsAndWatchedKeys) {
    session_.execute("mode compact");
    session_.execute("watch usage model");
    session_.execute("run hi");
    EXPECT_TRUE(json::parse(calls_[0].body)["include_events"].get<bool>());
    const std::string text = out_.str();
    EXPECT_NE(text.find("[agent_message] answer"), std::string::npos);
    EXPECT_NE(text.find("$ ls\na.txt"), std::string::npos);
    EXPECT_NE(text.find("usage: {\"total_tokens\":3}"), std::string::npos);
    EXPECT_EQ(text.find("model:"), std::string::npos) << "absent keys are not printed";
}

TEST_F(ReplSessionTest, ListShowSearchAndPromptHitTheirRoutes) {
    session_.execute("list");
    session_.execute("show session-1 events");
    session_.execute("search session-1 build error --f");
    session_.execute("prompt session-1 go on");
    ASSERT_EQ(calls_.size(), 4u);
    EXPECT_EQ(calls_[0].path, "/sessions");
    EXPECT_EQ(calls_[1].path, "/sessions/session-1?tail_lines=200&include_events=true");
    EXPECT_EQ(calls_[2].path, "/sessions/session-1/search?q=build%20error&fuzzy=true");
    EXPECT_EQ(calls_[3].path, "/sessions/session-1/prompt");
}

TEST_F(ReplSessionTest, ErrorsAndUnknownCommandsAreReported) {
    reply_ = {429, R"({"error":"Too many concurrent requests","retry_after":5})"};
    session_.execute("run hi");
    EXPECT_NE(out_.str().find("error 429: Too many concurrent requests"), std::string::npos);
    session_.execute("frobnicate");
    EXPECT_NE(out_.str().find("unknown or incomplete command"), std::string::npos);
    reply_ = {0, "Connection refused"};
    session_.execute("list");
    EXPECT_NE(out_.str().find("error: Connection refused"), std::string::npos);
}

TEST_F(ReplSessionTest, TheLoopEndsAtExit) {
    std::istringstream in("help\nexit\nlist\n");
    session_.run(in);
    EXPECT_TRUE(calls_.empty());
    EXPECT_NE(out_.str().find("setenv <KEY> <VALUE>"), std::string::npos);
}

}  // namespace
}  // namespace sluice::core::cli
