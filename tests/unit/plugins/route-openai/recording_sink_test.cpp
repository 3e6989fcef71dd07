#include "recording_sink.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sluice::plugins::route_openai {
namespace {

using json = nlohmann::json;

/// What the client would have received.
class RelayedEvents final : public sdk::DispatchSink {
public:
    void onCommit(const sdk::UpstreamHead&) noexcept override { committed = true; }
    bool onEvent(const sdk::SseEvent& event) noexcept override {
        types.emplace_back(event.type);
        return !client_gone;
    }
    bool onBody(std::string_view) noexcept override { return true; }
    bool onIdle() noexcept override { return true; }

    bool committed = false;
    bool client_gone = false;
    std::vector<std::string> types;
};

bool send(sdk::DispatchSink& sink, const json& event) {
    const std::string data = event.dump();
    const std::string type = event.value("type", "");
    const std::string raw = "data: " + data + "\n\n";
    return sink.onEvent({type, data, raw});
}

const json kCompleted{
    {"type", "response.completed"},
    {"response", {{"id", "resp_1"}, {"output", json::array({{{"type", "message"}}})}}}};

TEST(RecordingSinkTest, RelaysEveryEventAndKeepsTheFinishedResponse) {
    RelayedEvents relay;
    RecordingSink sink(relay, 1 << 20);
    sink.onCommit({});
    EXPECT_TRUE(send(sink, {{"type", "response.created"}, {"response", {{"id", "resp_1"}}}}));
    EXPECT_FALSE(sink.finished()) << "not finished before the terminal event";
    EXPECT_TRUE(send(sink, kCompleted));
    EXPECT_TRUE(relay.committed);
    EXPECT_EQ(relay.types, (std::vector<std::string>{"response.created", "response.completed"}));
    ASSERT_TRUE(sink.finished());
    EXPECT_EQ((*sink.finished())["id"], "resp_1");
}

TEST(RecordingSinkTest, AStreamTooLargeToKeepIsStillRelayedWhole) {
    RelayedEvents relay;
    RecordingSink sink(relay, 16);
    EXPECT_TRUE(send(sink, {{"type", "response.created"}, {"response", {{"id", "resp_1"}}}}));
    EXPECT_TRUE(send(sink, kCompleted));
    EXPECT_EQ(relay.types.size(), 2U);
    EXPECT_FALSE(sink.finished());
}

TEST(RecordingSinkTest, AFailedStreamIsNotKeptAndAGoneClientStopsTheRelay) {
    RelayedEvents relay;
    RecordingSink sink(relay, 1 << 20);
    EXPECT_TRUE(send(sink, {{"type", "response.failed"}, {"response", {{"id", "resp_1"}}}}));
    EXPECT_FALSE(sink.finished());
    relay.client_gone = true;
    EXPECT_FALSE(send(sink, kCompleted));
}

}  // namespace
}  // namespace sluice::plugins::route_openai
