#include "core/upstream/sse_parser.hpp"

#include <gtest/gtest.h>

namespace sluice::core::upstream {
namespace {

struct Taken {
    std::string type;
    std::string data;
    std::string raw;
};

std::vector<Taken> drain(SseParser& parser) {
    std::vector<Taken> out;
    sdk::SseEvent event;
    while (parser.take(event)) {
        out.push_back({std::string(event.type), std::string(event.data), std::string(event.raw)});
    }
    return out;
}

TEST(SseParserTest, SplitsEventsAndKeepsTheirExactBytes) {
    SseParser parser;
    const std::string first = "event: response.created\ndata: {\"type\":\"response.created\"}\n\n";
    const std::string second =
        "data: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\"}}\n\n";
    parser.feed(first + second);
    const auto events = drain(parser);
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].type, "response.created");
    EXPECT_EQ(events[0].raw, first);
    EXPECT_EQ(events[1].type, "response.completed");
    EXPECT_EQ(events[1].raw, second);
}

TEST(SseParserTest, HandlesEventsSplitAcrossReadsByteByByte) {
    SseParser parser;
    const std::string stream = "data: {\"type\":\"a\"}\r\n\r\ndata: {\"type\":\"b\"}\n\n";
    std::vector<Taken> events;
    for (const char c : stream) {
        parser.feed(std::string_view(&c, 1));
        for (auto& e : drain(parser)) {
            events.push_back(std::move(e));
        }
    }
    ASSERT_EQ(events.size(), 2U);
    EXPECT_EQ(events[0].type, "a");
    EXPECT_EQ(events[1].type, "b");
    EXPECT_EQ(parser.pending(), 0U);
}

TEST(SseParserTest, SkipsCommentsAndJoinsMultiLineData) {
    SseParser parser;
    parser.feed(": keepalive\n\ndata: line one\ndata: line two\n\n");
    const auto events = drain(parser);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].data, "line one\nline two");
    EXPECT_EQ(events[0].type, "");
}

TEST(SseParserTest, ReadsTheTopLevelTypeNotANestedOne) {
    SseParser parser;
    parser.feed(
        "data: {\"item\":{\"type\":\"message\"},\"type\":\"response.output_item.done\"}\n\n");
    const auto events = drain(parser);
    ASSERT_EQ(events.size(), 1U);
    EXPECT_EQ(events[0].type, "response.output_item.done");
}

TEST(SseParserTest, FlagsAnEventThatNeverEnds) {
    SseParser parser;
    const std::string chunk(1024 * 1024, 'x');
    parser.feed("data: ");
    for (int i = 0; i < 9 && !parser.overflowed(); ++i) {
        parser.feed(chunk);
    }
    EXPECT_TRUE(parser.overflowed());
}

}  // namespace
}  // namespace sluice::core::upstream
