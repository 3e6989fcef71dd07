#include "core/dispatch/response_completion.hpp"

#include <gtest/gtest.h>

namespace sluice::core::dispatch {
namespace {

TEST(ResponseCompletionTest, ReadsIdAndUsageInsideACompletedEvent) {
    const auto completion = readCompletion(R"({"type":"response.completed","sequence_number":9,
        "response":{"id":"resp_1","output":[{"type":"message","id":"msg_1","content":[{"text":"hi"}]}],
        "usage":{"input_tokens":12,"input_tokens_details":{"cached_tokens":4},
                 "output_tokens":7,"output_tokens_details":{"reasoning_tokens":3},"total_tokens":19}}})");
    EXPECT_EQ(completion.response_id, "resp_1");
    EXPECT_EQ(completion.usage.input_tokens, 12U);
    EXPECT_EQ(completion.usage.cached_input_tokens, 4U);
    EXPECT_EQ(completion.usage.output_tokens, 7U);
    EXPECT_EQ(completion.usage.reasoning_tokens, 3U);
    EXPECT_EQ(completion.usage.total_tokens, 19U);
}

TEST(ResponseCompletionTest, ReadsAPlainAnswerAtTheTopAndDefaultsTheTotal) {
    const auto completion = readCompletion(
        R"({"id":"resp_2","object":"response","usage":{"input_tokens":5,"output_tokens":2}})");
    EXPECT_EQ(completion.response_id, "resp_2");
    EXPECT_EQ(completion.usage.total_tokens, 7U);
}

TEST(ResponseCompletionTest, IgnoresLookalikesDeeperDown) {
    // Ids and counts of output items, nested objects or arrays are not the response's.
    const auto completion =
        readCompletion(R"({"response":{"output":[{"id":"item","usage":{"input_tokens":99}}],
        "metadata":{"id":"meta","usage":{"output_tokens":99}},"id":"resp_3"}})");
    EXPECT_EQ(completion.response_id, "resp_3");
    EXPECT_EQ(completion.usage.input_tokens, 0U);
    EXPECT_EQ(completion.usage.output_tokens, 0U);
}

TEST(ResponseCompletionTest, PrefersTheResponseObjectOverTopLevelFields) {
    const auto completion =
        readCompletion(R"({"id":"event","usage":{"input_tokens":1},"response":{"id":"resp_4"}})");
    EXPECT_EQ(completion.response_id, "resp_4");
    EXPECT_EQ(completion.usage.input_tokens, 0U);
}

TEST(ResponseCompletionTest, ValuesOfTheWrongTypeReadAsAbsent) {
    const auto completion = readCompletion(
        R"({"response":{"id":7,"usage":{"input_tokens":-3,"output_tokens":"2","total_tokens":1.5}}})");
    EXPECT_EQ(completion.response_id, "");
    EXPECT_EQ(completion.usage.input_tokens, 0U);
    EXPECT_EQ(completion.usage.output_tokens, 0U);
    EXPECT_EQ(completion.usage.total_tokens, 0U);
}

TEST(ResponseCompletionTest, BrokenOrNonObjectTextReadsAsNothing) {
    for (const char* text :
         {"", "{\"id\":\"resp_5\",", "[{\"id\":\"x\"}]", "\"id\"", "{\"id\":\"a\"} trailing",
          "{\"id\":\"a\"}{\"id\":\"b\"}", "{\"id\":\"a\",\"usage\":{\"input_tokens\":1}"}) {
        const auto completion = readCompletion(text);
        EXPECT_EQ(completion.response_id, "") << text;
        EXPECT_EQ(completion.usage.total_tokens, 0U) << text;
    }
}

TEST(ResponseCompletionTest, OutputTextThatLooksLikeStructureDoesNotMisleadIt) {
    const auto completion = readCompletion(
        R"({"response":{"output":[{"text":"} \"usage\":{\"input_tokens\":50} ]"}],"id":"resp_\u0036",)"
        R"("usage":{"input_tokens":6,"output_tokens":1,"input_tokens_details":{"cached_tokens":4}}}})");
    EXPECT_EQ(completion.response_id, "resp_6");
    EXPECT_EQ(completion.usage.input_tokens, 6U);
    EXPECT_EQ(completion.usage.cached_input_tokens, 4U);
    EXPECT_EQ(completion.usage.total_tokens, 7U);
}

TEST(ResponseCompletionTest, AResponseThatIsNotAnObjectLeavesTheTopInCharge) {
    const auto completion =
        readCompletion(R"({"response":null,"id":"resp_7","usage":{"input_tokens":2}})");
    EXPECT_EQ(completion.response_id, "resp_7");
    EXPECT_EQ(completion.usage.input_tokens, 2U);
}

}  // namespace
}  // namespace sluice::core::dispatch
