#include "core/dispatch/conversation_history.hpp"

#include <gtest/gtest.h>

namespace sluice::core::dispatch {
namespace {

using json = nlohmann::json;

json message(const std::string& text) {
    return {{"type", "message"}, {"role", "user"}, {"content", text}};
}

TEST(ContinuedInputTest, AFreshRequestMeansItsOwnInput) {
    const json request{{"input", json::array({message("hi")})}};
    EXPECT_EQ(continuedInput(request, nullptr), request["input"]);
}

TEST(ContinuedInputTest, AContinuationMeansTheHistoryThenItsInput) {
    const json history = json::array({message("hi"), message("hello")});
    const json request{{"previous_response_id", "resp_1"}, {"input", json::array({message("go")})}};
    EXPECT_EQ(continuedInput(request, &history),
              json::array({message("hi"), message("hello"), message("go")}));
}

TEST(ContinuedInputTest, AContinuationOfAnUnknownHistoryOrNoInputArrayCannotBeFollowed) {
    EXPECT_FALSE(continuedInput(json{{"previous_response_id", "resp_1"}, {"input", json::array()}},
                                nullptr));
    EXPECT_FALSE(continuedInput(json{{"input", "a string"}}, nullptr));
    EXPECT_FALSE(continuedInput(json::array(), nullptr));
}

TEST(TurnRecorderTest, KeepsTheInputThenEachDoneItemAndTheResponseId) {
    TurnRecorder recorder(1024);
    recorder.begin(json::array({message("hi")}), 40);
    recorder.observe("response.output_item.added", R"({"item":{"type":"message"}})");
    recorder.observe("response.output_item.done",
                     R"({"type":"response.output_item.done","item":{"type":"message","id":"m"}})");
    recorder.observe("response.completed",
                     R"({"type":"response.completed","response":{"id":"r9"}})");
    std::size_t bytes = 0;
    const auto history = recorder.finish(bytes);
    ASSERT_TRUE(history);
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[1]["id"], "m");
    EXPECT_GT(bytes, 40u);
    EXPECT_EQ(recorder.responseId(), "r9");
}

TEST(TurnRecorderTest, ReadsAPlainAnswersOutputAndId) {
    TurnRecorder recorder(1024);
    recorder.begin(json::array({message("hi")}), 10);
    recorder.observeBody(R"({"id":"r2","output":[{"type":"mess)");
    recorder.observeBody(R"(age","id":"m2"}]})");
    std::size_t bytes = 0;
    const auto history = recorder.finish(bytes);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->size(), 2u);
    EXPECT_EQ(recorder.responseId(), "r2");
}

TEST(TurnRecorderTest, AHistoryOverTheBoundOrUnfollowableIsNotKept) {
    TurnRecorder small(64);
    small.begin(json::array(), 10);
    small.observe(
        "response.output_item.done",
        R"({"item":{"type":"message","content":"a long enough answer to pass the bound"}})");
    std::size_t bytes = 0;
    EXPECT_FALSE(small.finish(bytes));

    TurnRecorder unknown(1024);
    unknown.begin(json(), 0);
    unknown.observe("response.output_item.done", R"({"item":{"type":"message"}})");
    EXPECT_FALSE(unknown.finish(bytes));

    TurnRecorder broken(1024);
    broken.begin(json::array(), 0);
    broken.observe("response.output_item.done", R"({"item":"not an item"})");
    EXPECT_FALSE(broken.finish(bytes));
}

}  // namespace
}  // namespace sluice::core::dispatch
