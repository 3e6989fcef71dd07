#include "token_ledger.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_appserver {
namespace {

using json = nlohmann::json;

json usage(std::uint64_t input, std::uint64_t output) {
    return {{"threadId", "t1"},
            {"tokenUsage",
             {{"total",
               {{"inputTokens", input},
                {"cachedInputTokens", input / 10},
                {"outputTokens", output},
                {"reasoningOutputTokens", output / 5},
                {"totalTokens", input + output}}},
              {"last", {{"inputTokens", 1}}}}}};
}

sdk::ProjectTokens total(std::uint64_t input, std::uint64_t output) {
    return *threadTotal(usage(input, output));
}

TEST(TokenLedgerTest, ReadsTheThreadTotalNotTheLastCall) {
    const auto read = threadTotal(usage(200, 10));
    ASSERT_TRUE(read);
    EXPECT_EQ(read->input_tokens, 200U);
    EXPECT_EQ(read->cached_input_tokens, 20U);
    EXPECT_EQ(read->output_tokens, 10U);
    EXPECT_EQ(read->reasoning_tokens, 2U);
    EXPECT_EQ(read->total_tokens, 210U);
    EXPECT_FALSE(threadTotal(json{{"threadId", "t1"}}));
}

TEST(TokenLedgerTest, RepeatedReportsAreAccountedOnce) {
    sdk::ProjectRecord project;
    adoptThread(project, "t1");
    EXPECT_EQ(accountThreadTotal(project, "t1", total(100, 5)).input_tokens, 100U);
    // The final update of a turn arrives twice with identical values.
    EXPECT_TRUE(isZero(accountThreadTotal(project, "t1", total(100, 5))));
    EXPECT_EQ(accountThreadTotal(project, "t1", total(300, 15)).input_tokens, 200U);
    EXPECT_EQ(project.accounted_total.input_tokens, 300U);
    EXPECT_EQ(project.accounted_total.output_tokens, 15U);
}

TEST(TokenLedgerTest, AResumeReEmittingTheTotalAddsNothing) {
    sdk::ProjectRecord project;
    adoptThread(project, "t1");
    accountThreadTotal(project, "t1", total(300, 15));
    sdk::ProjectRecord restarted = project;  // as stored, read back after a restart
    adoptThread(restarted, "t1");
    EXPECT_TRUE(isZero(accountThreadTotal(restarted, "t1", total(300, 15))));
    EXPECT_EQ(accountThreadTotal(restarted, "t1", total(400, 20)).output_tokens, 5U);
    EXPECT_EQ(restarted.accounted_total.input_tokens, 400U);
}

TEST(TokenLedgerTest, ANewThreadStartsFromZeroAndKeepsTheProjectTotal) {
    sdk::ProjectRecord project;
    adoptThread(project, "t1");
    accountThreadTotal(project, "t1", total(300, 15));
    adoptThread(project, "t2");
    EXPECT_EQ(accountThreadTotal(project, "t2", total(50, 1)).input_tokens, 50U);
    EXPECT_EQ(project.accounted_total.input_tokens, 350U);
}

TEST(TokenLedgerTest, OtherThreadsAndShrinkingTotalsAddNothing) {
    sdk::ProjectRecord project;
    adoptThread(project, "t1");
    EXPECT_TRUE(isZero(accountThreadTotal(project, "t9", total(100, 5))));
    accountThreadTotal(project, "t1", total(300, 15));
    EXPECT_TRUE(isZero(accountThreadTotal(project, "t1", total(100, 5))));
    EXPECT_EQ(project.accounted_snapshot.input_tokens, 100U);  // the new baseline
    EXPECT_EQ(accountThreadTotal(project, "t1", total(150, 6)).input_tokens, 50U);
    EXPECT_EQ(project.accounted_total.input_tokens, 350U);
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
