#include "compaction_request.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_openai {
namespace {

using json = nlohmann::json;

json keptResponse(const std::string& status, json output) {
    return {{"response",
             {{"id", "resp_1"},
              {"model", "gpt-5.5"},
              {"status", status},
              {"instructions", "be terse"},
              {"output", std::move(output)}}},
            {"input_items", json::parse(R"([{"id":"msg_1_0","type":"message","role":"user",
                              "content":[{"type":"input_text","text":"hi"}]}])")}};
}

const json kAnswer = json::parse(
    R"([{"id":"msg_a","type":"message","role":"assistant",
         "content":[{"type":"output_text","text":"hello"}]}])");

TEST(CompactionRequestTest, TheTurnSendsTheConversationThenTheTriggerWithoutIds) {
    const auto compaction = compactionCall(keptResponse("completed", kAnswer), "resp_1");
    ASSERT_TRUE(compaction.ok()) << compaction.error().message;
    const json& body = compaction.value().call.body;
    EXPECT_EQ(compaction.value().call.model, "gpt-5.5");
    EXPECT_EQ(body["instructions"], "be terse");
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["store"], false);
    ASSERT_EQ(body["input"].size(), 3U);
    EXPECT_EQ(body["input"][0]["role"], "user");
    EXPECT_FALSE(body["input"][0].contains("id")) << "the backend keeps no items";
    EXPECT_EQ(body["input"][1]["role"], "assistant");
    EXPECT_FALSE(body["input"][1].contains("id"));
    EXPECT_EQ(body["input"][2], json({{"type", "compaction_trigger"}}));
    const json& conversation = compaction.value().conversation;
    ASSERT_EQ(conversation.size(), 2U);
    EXPECT_EQ(conversation[0]["id"], "msg_1_0");
    EXPECT_EQ(conversation[1]["id"], "msg_a");
}

TEST(CompactionRequestTest, AnUnfinishedResponseOrOneWithoutOutputIsRefused) {
    const auto running = compactionCall(keptResponse("in_progress", kAnswer), "resp_1");
    ASSERT_FALSE(running.ok());
    EXPECT_EQ(running.error().http_status, 400);
    EXPECT_EQ(running.error().code, "response_not_compactable");
    const auto empty = compactionCall(keptResponse("completed", json::array()), "resp_1");
    ASSERT_FALSE(empty.ok());
    EXPECT_EQ(empty.error().code, "response_not_compactable");
    EXPECT_NE(empty.error().message.find("no output"), std::string::npos);
    EXPECT_TRUE(compactionCall(keptResponse("incomplete", kAnswer), "resp_1").ok());
}

TEST(CompactionRequestTest, TheAnswerIsTheUserMessagesThenTheCompactionItem) {
    const json compacted{{"type", "compaction"}, {"id", "cmp_1"}, {"encrypted_content", "x"}};
    const json response{{"id", "resp_2"},
                        {"created_at", 7},
                        {"output", json::array({compacted})},
                        {"usage", {{"total_tokens", 12}}}};
    const json conversation = keptResponse("completed", kAnswer)["input_items"];
    const auto answer = compactionAnswer(response, conversation);
    ASSERT_TRUE(answer.ok());
    EXPECT_EQ(answer.value()["object"], "response.compaction");
    EXPECT_EQ(answer.value()["id"], "resp_2");
    EXPECT_EQ(answer.value()["created_at"], 7);
    EXPECT_EQ(answer.value()["usage"]["total_tokens"], 12);
    ASSERT_EQ(answer.value()["output"].size(), 2U);
    EXPECT_EQ(answer.value()["output"][0]["role"], "user");
    EXPECT_EQ(answer.value()["output"][1], compacted);
}

TEST(CompactionRequestTest, AnythingButOneCompactionItemIsAnUpstreamError) {
    const json compacted{{"type", "compaction"}, {"encrypted_content", "x"}};
    for (const json& output : {json::array(), kAnswer, json::array({compacted, compacted})}) {
        const auto answer = compactionAnswer({{"output", output}}, json::array());
        ASSERT_FALSE(answer.ok()) << output.dump();
        EXPECT_EQ(answer.error().http_status, 502);
        EXPECT_EQ(answer.error().code, "upstream_compaction_malformed");
    }
}

}  // namespace
}  // namespace sluice::plugins::route_openai
