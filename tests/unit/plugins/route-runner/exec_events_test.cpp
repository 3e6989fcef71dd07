#include "exec_events.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_runner {
namespace {

TEST(ExecEventParserTest, FoldsTheCurrentEventStream) {
    ExecEventParser parser;
    parser.feed(
        R"({"type":"thread.started","thread_id":"019a-thread"})"
        "\n"
        R"({"type":"turn.started"})"
        "\n"
        R"({"type":"item.completed","item":{"id":"item_0","type":"error","message":"warn"}})"
        "\n"
        R"({"type":"error","message":"Reconnecting... 1/5"})"
        "\n"
        R"({"type":"item.completed","item":{"id":"item_1","type":"command_execution","command":"ls","exit_code":0}})"
        "\n"
        R"({"type":"item.completed","item":{"id":"item_2","type":"agent_message","text":"first"}})"
        "\n"
        R"({"type":"item.completed","item":{"id":"item_3","type":"agent_message","text":"Done."}})"
        "\n"
        R"({"type":"turn.completed","usage":{"input_tokens":100,"cached_input_tokens":50,)");
    parser.feed(R"("cache_write_input_tokens":0,"output_tokens":5,"reasoning_output_tokens":1}})"
                "\n");
    const ExecTranscript& t = parser.transcript();
    EXPECT_EQ(t.thread_id, "019a-thread");
    EXPECT_EQ(t.output, "Done.");
    EXPECT_TRUE(t.completed);
    EXPECT_FALSE(t.failure.has_value()) << "a Reconnecting error event is not a failure";
    ASSERT_TRUE(t.usage.has_value());
    EXPECT_EQ(t.usage->input_tokens, 100u);
    EXPECT_EQ(t.usage->total(), 105u);
    EXPECT_EQ(t.tool_calls.size(), 1u);
    EXPECT_EQ(t.events.size(), 8u);
}

TEST(ExecEventParserTest, TurnFailedIsAFailureWithItsMessage) {
    ExecEventParser parser;
    parser.feed(R"({"type":"turn.failed","error":{"message":"upstream said no"}})");
    parser.finish();
    ASSERT_TRUE(parser.transcript().failure.has_value());
    EXPECT_EQ(*parser.transcript().failure, "upstream said no");
}

TEST(ExecEventParserTest, UnderstandsLegacyMsgLinesAndIgnoresNoise) {
    ExecEventParser parser;
    parser.feed("Reading prompt from stdin...\nnot json {\n");
    parser.feed(R"({"msg":{"type":"session_configured","session_id":"legacy-1"}})"
                "\n"
                R"({"msg":{"type":"agent_message","message":"partial"}})"
                "\n"
                R"({"msg":{"type":"task_complete","last_agent_message":"final"}})"
                "\n");
    EXPECT_EQ(parser.transcript().thread_id, "legacy-1");
    EXPECT_EQ(parser.transcript().output, "final");
    EXPECT_TRUE(parser.transcript().completed);
}

TEST(RunUsageTest, SinceSubtractsAnEarlierCumulativeSnapshot) {
    const RunUsage total{300, 100, 0, 10, 2};
    const RunUsage earlier{100, 50, 0, 5, 1};
    const RunUsage run = total.since(earlier);
    EXPECT_EQ(run.input_tokens, 200u);
    EXPECT_EQ(run.cached_input_tokens, 50u);
    EXPECT_EQ(run.output_tokens, 5u);
    EXPECT_EQ(run.total(), 205u);
    EXPECT_EQ(earlier.since(total).input_tokens, 0u) << "never below zero";
    EXPECT_EQ(run.toJson()["total_tokens"], 205);
    EXPECT_EQ(RunUsage::fromJson(run.toJson()).output_tokens, 5u);
}

}  // namespace
}  // namespace sluice::plugins::route_runner
