#include "core/dispatch/handoff_sink.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

namespace sluice::core::dispatch {
namespace {

using json = nlohmann::json;

class SeenSink final : public sdk::DispatchSink {
public:
    void onCommit(const sdk::UpstreamHead& head) noexcept override { head_ = head; }
    bool onEvent(const sdk::SseEvent& event) noexcept override {
        events_.push_back(
            {std::string(event.type), std::string(event.data), std::string(event.raw)});
        return true;
    }
    bool onBody(std::string_view bytes) noexcept override {
        body_.append(bytes);
        return true;
    }
    bool onIdle() noexcept override { return true; }

    struct Event {
        std::string type, data, raw;
    };
    sdk::UpstreamHead head_;
    std::vector<Event> events_;
    std::string body_;
};

const HandoffNotice kNotice{"resp_1", "usage_limit_reached", 3, 1};

TEST(HandoffSinkTest, TellsAStreamOnceWithTheHeaderAndANoticeEventFirst) {
    SeenSink seen;
    TurnRecorder recorder(1024);
    HandoffSink sink(seen, recorder, true, &kNotice);
    sink.onCommit({200, {{"x-request-id", "r"}}});
    const std::string data = R"({"type":"response.created","response":{"id":"r2"}})";
    sink.onEvent({"response.created", data, "data: " + data + "\n\n"});

    EXPECT_EQ(*sdk::findHeader(seen.head_.headers, kHandoffHeader),
              "previous_response_id=resp_1; reason=usage_limit_reached; replayed_items=3; "
              "dropped_items=1");
    ASSERT_EQ(seen.events_.size(), 2u);
    EXPECT_EQ(seen.events_[0].type, "sluice.handoff");
    const json notice = json::parse(seen.events_[0].data);
    EXPECT_EQ(notice["type"], "sluice.handoff");
    EXPECT_EQ(notice["previous_response_id"], "resp_1");
    EXPECT_EQ(notice["dropped_items"], 1);
    EXPECT_EQ(seen.events_[0].raw, "event: sluice.handoff\ndata: " + seen.events_[0].data + "\n\n");
    EXPECT_EQ(seen.events_[1].type, "response.created");
}

TEST(HandoffSinkTest, APlainOrFailedAnswerGetsTheHeaderOnly) {
    for (const auto& [event_stream, status] : {std::pair{false, 200}, std::pair{true, 400}}) {
        SeenSink seen;
        TurnRecorder recorder(1024);
        HandoffSink sink(seen, recorder, event_stream, &kNotice);
        sink.onCommit({status, {}});
        sink.onBody(R"({"id":"r"})");
        EXPECT_TRUE(sdk::findHeader(seen.head_.headers, kHandoffHeader));
        EXPECT_TRUE(seen.events_.empty());
        EXPECT_EQ(seen.body_, R"({"id":"r"})");
    }
}

TEST(HandoffSinkTest, WithoutANoticePassesEverythingAsItCameAndRecordsIt) {
    SeenSink seen;
    TurnRecorder recorder(1024);
    recorder.begin(json::array(), 0);
    HandoffSink sink(seen, recorder, true, nullptr);
    sink.onCommit({200, {}});
    const std::string done = R"({"type":"response.output_item.done","item":{"type":"message"}})";
    sink.onEvent({"response.output_item.done", done, "data: " + done + "\n\n"});
    EXPECT_FALSE(sdk::findHeader(seen.head_.headers, kHandoffHeader));
    ASSERT_EQ(seen.events_.size(), 1u);
    std::size_t bytes = 0;
    const auto history = recorder.finish(bytes);
    ASSERT_TRUE(history);
    EXPECT_EQ(history->size(), 1u);
}

}  // namespace
}  // namespace sluice::core::dispatch
