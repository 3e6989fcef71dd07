#include "core/dispatch/websocket_continuity.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::dispatch {
namespace {

using json = nlohmann::json;

class CountingGate final : public TurnGate {
public:
    std::optional<sdk::ErrorInfo> open(std::string&) override {
        ++opened;
        return std::nullopt;
    }
    void close(const ResponseCompletion&) override { ++closed; }
    int opened = 0;
    int closed = 0;
};

json message(const std::string& text) {
    return {{"type", "message"}, {"role", "user"}, {"content", text}};
}

std::string create(json input, const std::string& previous = "", json metadata = nullptr) {
    json frame{{"type", "response.create"}, {"model", "gpt-5.5"}, {"input", std::move(input)}};
    if (!previous.empty()) {
        frame["previous_response_id"] = previous;
    }
    if (!metadata.is_null()) {
        frame["client_metadata"] = std::move(metadata);
    }
    return frame.dump();
}

class WebSocketContinuityTest : public ::testing::Test {
protected:
    // The upstream answers one response with one output item.
    void answer(const std::string& id, const std::string& text) {
        continuity_.observe(
            "response.output_item.done",
            json{{"type", "response.output_item.done"},
                 {"item", {{"type", "message"}, {"role", "assistant"}, {"content", text}}}}
                .dump());
        const std::string completed =
            json{{"type", "response.completed"}, {"response", {{"id", id}}}}.dump();
        continuity_.observe("response.completed", completed);
        continuity_.close({});
    }

    sdk::testing::FakeClock clock_;
    CountingGate gate_;
    std::vector<std::string> replaced_with_;
    bool replace_ok_ = true;
    WebSocketContinuity continuity_{gate_, std::chrono::minutes(50), 1 << 20, clock_,
                                    [this](const std::string& turn_state) {
                                        replaced_with_.push_back(turn_state);
                                        return replace_ok_;
                                    }};
};

TEST_F(WebSocketContinuityTest, ContinuationsPassUntouchedWhileTheSocketIsYoung) {
    std::string first = create(json::array({message("hi")}));
    ASSERT_FALSE(continuity_.open(first));
    answer("resp_1", "hello");
    std::string second = create(json::array({message("more")}), "resp_1");
    const std::string sent = second;
    ASSERT_FALSE(continuity_.open(second));
    EXPECT_EQ(second, sent);
    EXPECT_TRUE(replaced_with_.empty());
    EXPECT_EQ(gate_.opened, 2);
}

TEST_F(WebSocketContinuityTest, AnAgedSocketIsReplacedAndTheContinuationCarriesTheHistory) {
    std::string first = create(json::array({message("instructions")}));
    continuity_.open(first);
    answer("resp_1", "hello");
    clock_.advance(std::chrono::minutes(51));
    std::string second = create(json::array({message("more")}), "resp_1");
    ASSERT_FALSE(continuity_.open(second));

    ASSERT_EQ(replaced_with_.size(), 1u);
    EXPECT_EQ(continuity_.replacements(), 1u);
    const json sent = json::parse(second);
    EXPECT_FALSE(sent.contains("previous_response_id"));
    ASSERT_EQ(sent["input"].size(), 3u);  // the first input, its answer, the new input
    EXPECT_EQ(sent["input"][0]["content"], "instructions");
    EXPECT_EQ(sent["input"][1]["role"], "assistant");
    EXPECT_EQ(sent["input"][2]["content"], "more");

    // The new socket produced the next response: its continuation passes untouched again.
    answer("resp_2", "again");
    std::string third = create(json::array({message("last")}), "resp_2");
    const std::string unchanged = third;
    continuity_.open(third);
    EXPECT_EQ(third, unchanged);
}

TEST_F(WebSocketContinuityTest, NoReplacementWhileAnotherTurnIsOpen) {
    std::string first = create(json::array({message("a")}));
    continuity_.open(first);
    clock_.advance(std::chrono::minutes(51));
    std::string second = create(json::array({message("b")}));
    continuity_.open(second);
    EXPECT_TRUE(replaced_with_.empty());
}

TEST_F(WebSocketContinuityTest, AFailedReplacementKeepsTheSocketAndTheReference) {
    replace_ok_ = false;
    std::string first = create(json::array({message("a")}));
    continuity_.open(first);
    answer("resp_1", "x");
    clock_.advance(std::chrono::minutes(51));
    std::string second = create(json::array({message("b")}), "resp_1");
    const std::string sent = second;
    continuity_.open(second);
    EXPECT_EQ(replaced_with_.size(), 1u);
    EXPECT_EQ(second, sent);
}

TEST_F(WebSocketContinuityTest, TheReplacementCarriesTheTurnStateInEitherForm) {
    continuity_.upgradeTurnState("ts-from-101");
    std::string first = create(json::array({message("a")}));
    continuity_.open(first);
    answer("resp_1", "x");
    clock_.advance(std::chrono::minutes(51));
    std::string second = create(json::array({message("b")}), "resp_1");
    continuity_.open(second);
    ASSERT_EQ(replaced_with_.size(), 1u);
    EXPECT_EQ(replaced_with_[0], "ts-from-101");

    // The frame form: the client's client_metadata value is the turn's.
    answer("resp_2", "y");
    clock_.advance(std::chrono::minutes(51));
    std::string third = create(json::array({message("c")}), "resp_2",
                               json{{"x-codex-turn-state", "ts-from-frame"}});
    continuity_.open(third);
    ASSERT_EQ(replaced_with_.size(), 2u);
    EXPECT_EQ(replaced_with_[1], "ts-from-frame");
}

TEST_F(WebSocketContinuityTest, AResponseMetadataEventGivesTheTurnStateWhenNoneIsKnown) {
    std::string first = create(json::array({message("a")}));
    continuity_.open(first);
    continuity_.observe(
        "response.metadata",
        R"({"type":"response.metadata","metadata":{"x-codex-turn-state":"ts-up"}})");
    answer("resp_1", "x");
    clock_.advance(std::chrono::minutes(51));
    std::string second = create(json::array({message("b")}), "resp_1");
    continuity_.open(second);
    ASSERT_EQ(replaced_with_.size(), 1u);
    EXPECT_EQ(replaced_with_[0], "ts-up");
}

}  // namespace
}  // namespace sluice::core::dispatch
