#include "session_views.hpp"

#include <gtest/gtest.h>

#include "sluice/plugins/common/private_files.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;

TEST(TailLinesTest, KeepsTheLastLines) {
    EXPECT_EQ(tailLines("a\nb\nc\n", 2), "b\nc");
    EXPECT_EQ(tailLines("a\nb\nc", 5), "a\nb\nc");
    EXPECT_EQ(tailLines("", 3), "");
}

class SessionViewsTest : public ::testing::Test {
protected:
    void SetUp() override {
        session_.dir = dir_.path();
        session_.meta = {{"session_id", "session-x"}, {"codex_session_id", "t"},
                         {"owner_key", "sk-1"},       {"usage_total", json::object()},
                         {"runs", json::array()},     {"metadata", {{"a", 1}}}};
        common::writePrivateFile(dir_.path() / "stdout.log",
                                 "first line\nthe build encountered an error here\n"
                                 "all good\nanother Error line\n");
        common::writePrivateFile(dir_.path() / "stderr.log", "warn 1\nwarn 2\n");
        common::writePrivateFile(dir_.path() / "events.jsonl",
                                 "{\"type\":\"turn.started\"}\nnot json\n");
    }
    sdk::testing::TempDirectory dir_;
    SessionView session_;
};

TEST_F(SessionViewsTest, DetailHasTailsEventsAndNoInternalKeys) {
    const json detail = sessionDetail(session_, {2, true, true});
    EXPECT_EQ(detail["stdout"]["tail"], "all good\nanother Error line");
    EXPECT_EQ(detail["stderr"]["tail"], "warn 1\nwarn 2");
    EXPECT_EQ(detail["events"].size(), 1u);
    EXPECT_FALSE(detail.contains("owner_key"));
    EXPECT_EQ(detail["gateway_session_id"], "session-x");
    EXPECT_FALSE(sessionDetail(session_, {}).contains("stderr"));
}

TEST_F(SessionViewsTest, ExactSearchIsCaseInsensitiveWithLineNumbers) {
    const json found = searchSession(session_, {"error", false, 5});
    ASSERT_EQ(found["signals"].size(), 2u);
    EXPECT_EQ(found["signals"][0]["line"], 2);
    EXPECT_EQ(found["signals"][0]["score"], 1.0);
    EXPECT_NE(found["signals"][0]["context"].get<std::string>().find("encountered an error"),
              std::string::npos);
    EXPECT_EQ(found["signals"][1]["line"], 4);
    EXPECT_EQ(searchSession(session_, {"error", false, 1})["signals"].size(), 1u);
}

TEST_F(SessionViewsTest, FuzzySearchScoresSharedWords) {
    const json found = searchSession(session_, {"build error", true, 5});
    ASSERT_EQ(found["signals"].size(), 2u) << "half the words is above the 0.34 floor";
    EXPECT_EQ(found["signals"][0]["line"], 2);
    EXPECT_DOUBLE_EQ(found["signals"][0]["score"].get<double>(), 1.0);
    EXPECT_DOUBLE_EQ(found["signals"][1]["score"].get<double>(), 0.5);
    SearchOptions strict{"build error", true, 5};
    strict.min_score = 0.9;
    EXPECT_EQ(searchSession(session_, strict)["signals"].size(), 1u);
    EXPECT_EQ(found["signals"][0]["signal_type"], "fuzzy_text_hit");
}

TEST_F(SessionViewsTest, TailLinesLimitsTheSearchedLogButKeepsLineNumbers) {
    SearchOptions options{"error", false, 5};
    options.tail_lines = 1;
    const json found = searchSession(session_, options);
    ASSERT_EQ(found["signals"].size(), 1u);
    EXPECT_EQ(found["signals"][0]["line"], 4);
}

}  // namespace
}  // namespace sluice::plugins::route_runner
