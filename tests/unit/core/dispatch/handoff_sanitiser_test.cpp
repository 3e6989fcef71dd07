#include "core/dispatch/handoff_sanitiser.hpp"

#include <gtest/gtest.h>

namespace sluice::core::dispatch {
namespace {

using json = nlohmann::json;

json userText(const std::string& text) {
    return {{"type", "message"},
            {"role", "user"},
            {"content", json::array({{{"type", "input_text"}, {"text", text}}})}};
}

TEST(HandoffSanitiserTest, LeavesOutReasoningEncryptedItemsAndItemReferences) {
    std::size_t dropped = 0;
    const json items = json::array(
        {userText("hi"),
         {{"type", "reasoning"}, {"id", "rs_1"}, {"summary", json::array()}},
         {{"type", "reasoning"}, {"encrypted_content", "gAAA"}},
         {{"type", "compaction"}, {"encrypted_content", "emu-compaction.x"}},
         {{"type", "item_reference"}, {"id", "msg_9"}},
         {{"type", "function_call"}, {"id", "fc_1"}, {"call_id", "call_1"}, {"name", "sh"}}});
    const json kept = sanitisedItems(items, dropped);
    EXPECT_EQ(dropped, 4u);
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[0], userText("hi"));
    EXPECT_EQ(kept[1]["call_id"], "call_1");
    EXPECT_FALSE(kept[1].contains("id")) << "stored item ids belong to the old account";
}

TEST(HandoffSanitiserTest, LeavesOutFilePartsAndMessagesMadeOnlyOfThem) {
    std::size_t dropped = 0;
    const json with_file{
        {"type", "message"},
        {"role", "user"},
        {"content", json::array({{{"type", "input_text"}, {"text", "see"}},
                                 {{"type", "input_file"}, {"file_id", "file_1"}}})}};
    const json only_file{
        {"type", "message"},
        {"role", "user"},
        {"content", json::array({{{"type", "input_image"}, {"file_id", "file_2"}}})}};
    const json kept = sanitisedItems(json::array({with_file, only_file}), dropped);
    EXPECT_EQ(dropped, 2u);
    ASSERT_EQ(kept.size(), 1u);
    EXPECT_EQ(kept[0]["content"].size(), 1u);
    EXPECT_EQ(kept[0]["content"][0]["text"], "see");
}

TEST(HandoffSanitiserTest, ReplaysTheHistoryInlineWithoutThePreviousResponse) {
    const json history = json::array(
        {userText("hi"), {{"type", "reasoning"}, {"encrypted_content", "gAAA"}}, userText("yo")});
    const json request{{"model", "gpt-5.5"},
                       {"stream", true},
                       {"previous_response_id", "resp_1"},
                       {"include", json::array({"reasoning.encrypted_content"})},
                       {"input", json::array({userText("go on")})}};
    const auto replay = handoffReplay(request, history);
    ASSERT_TRUE(replay);
    const json body = json::parse(replay->body);
    EXPECT_FALSE(body.contains("previous_response_id"));
    EXPECT_EQ(body["model"], "gpt-5.5");
    EXPECT_EQ(body["include"], request["include"]);
    EXPECT_EQ(body["input"], json::array({userText("hi"), userText("yo"), userText("go on")}));
    EXPECT_EQ(replay->replayed_items, 3u);
    EXPECT_EQ(replay->dropped_items, 1u);
}

TEST(HandoffSanitiserTest, ABodyWithoutAnInputArrayCannotBeReplayed) {
    EXPECT_FALSE(handoffReplay(json{{"previous_response_id", "r"}}, json::array()));
    EXPECT_FALSE(handoffReplay(json("text"), json::array()));
}

}  // namespace
}  // namespace sluice::core::dispatch
