#include "response_collector.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_openai {
namespace {

using json = nlohmann::json;

void feed(ResponseCollector& collector, const json& event) {
    collector.add(event.value("type", ""), event.dump());
}

TEST(ResponseCollector, FillsAnEmptyTerminalOutputFromTheDoneItemsInIndexOrder) {
    ResponseCollector collector;
    feed(collector, {{"type", "response.created"},
                     {"response", {{"id", "resp_1"}, {"status", "in_progress"}}}});
    feed(collector, {{"type", "response.output_item.done"},
                     {"output_index", 1},
                     {"item", {{"type", "message"}}}});
    feed(collector, {{"type", "response.output_item.done"},
                     {"output_index", 0},
                     {"item", {{"type", "reasoning"}}}});
    EXPECT_EQ(collector.state(), ResponseCollector::State::Pending);
    feed(collector, {{"type", "response.completed"},
                     {"response", {{"id", "resp_1"}, {"usage", {{"total_tokens", 3}}}}}});
    ASSERT_EQ(collector.state(), ResponseCollector::State::Completed);
    const json response = collector.response();
    EXPECT_EQ(response["id"], "resp_1");
    EXPECT_EQ(response["object"], "response");
    EXPECT_EQ(response["status"], "completed");
    EXPECT_EQ(response["usage"]["total_tokens"], 3);
    ASSERT_EQ(response["output"].size(), 2u);
    EXPECT_EQ(response["output"][0]["type"], "reasoning");
    EXPECT_EQ(response["output"][1]["type"], "message");
}

TEST(ResponseCollector, KeepsTheTerminalOutputWhenItListsItems) {
    ResponseCollector collector;
    feed(collector,
         {{"type", "response.output_item.done"}, {"item", {{"type", "message"}, {"id", "a"}}}});
    feed(collector,
         {{"type", "response.completed"},
          {"response", {{"output", json::array({{{"type", "message"}, {"id", "b"}}})}}}});
    EXPECT_EQ(collector.response()["output"][0]["id"], "b");
}

TEST(ResponseCollector, RecordsFailuresAndIgnoresWhatFollowsTheEnd) {
    ResponseCollector failed;
    feed(failed, {{"type", "response.failed"},
                  {"response", {{"error", {{"code", "server_is_overloaded"}}}}}});
    feed(failed, {{"type", "response.completed"}, {"response", json::object()}});
    EXPECT_EQ(failed.state(), ResponseCollector::State::Failed);
    EXPECT_EQ(failed.failureCode(), "server_is_overloaded");

    ResponseCollector errored;
    feed(errored, {{"type", "error"}, {"code", "rate_limit_exceeded"}, {"message", "x"}});
    EXPECT_EQ(errored.state(), ResponseCollector::State::Failed);
    EXPECT_EQ(errored.failureCode(), "rate_limit_exceeded");

    ResponseCollector incomplete;
    feed(incomplete, {{"type", "response.incomplete"},
                      {"response", {{"incomplete_details", {{"reason", "x"}}}}}});
    EXPECT_EQ(incomplete.state(), ResponseCollector::State::Incomplete);
    EXPECT_EQ(incomplete.response()["status"], "incomplete");
}

TEST(ResponseCollector, SurvivesEventsOfTheWrongShape) {
    ResponseCollector collector;
    collector.add("response.output_item.done", "not json");
    collector.add("response.output_item.done", R"({"item":"not an object","output_index":-1})");
    collector.add("response.created", R"({"response":[1,2]})");
    collector.add("response.completed", R"({"response":{"status":7,"output":"nope"}})");
    EXPECT_EQ(collector.state(), ResponseCollector::State::Completed);
    EXPECT_EQ(collector.response()["output"], json::array())
        << "an output that is no list is rebuilt from items";
}

}  // namespace
}  // namespace sluice::plugins::route_openai
