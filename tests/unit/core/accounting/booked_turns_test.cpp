#include "core/accounting/booked_turns.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "tests/unit/core/accounting/recording_settlements.hpp"

namespace sluice::core::accounting {
namespace {

using testing::RecordingCharges;
using testing::RecordingSink;

// Admits every frame but those naming model "refused"; rewrites "alias" to "gpt-5.5".
class FakeAdmission final : public dispatch::TurnGate {
public:
    std::optional<sdk::ErrorInfo> open(std::string& payload) override {
        if (payload.find("\"refused\"") != std::string::npos) {
            return sdk::ErrorInfo{403, "invalid_request_error", "model_not_allowed", "no", "", 0,
                                  ""};
        }
        if (const auto at = payload.find("\"alias\""); at != std::string::npos) {
            payload.replace(at, 7, "\"gpt-5.5\"");
        }
        ++opened;
        return std::nullopt;
    }
    void close(const dispatch::ResponseCompletion&) override { ++closed; }
    int opened = 0;
    int closed = 0;
};

dispatch::ResponseCompletion ended(const std::string& id, std::uint64_t input) {
    dispatch::ResponseCompletion completion;
    completion.response_id = id;
    completion.usage.input_tokens = input;
    completion.usage.output_tokens = 5;
    return completion;
}

class BookedTurnsTest : public ::testing::Test {
protected:
    RequestOrigin origin() {
        return {"team",
                "sk-sluice-k1",
                "GET",
                "/backend-api/codex/responses",
                "codex.responses",
                "proxy_websocket",
                std::chrono::system_clock::now(),
                std::chrono::steady_clock::now()};
    }

    RecordingSink sink_;
    RecordingCharges charges_;
    FakeAdmission admission_;
    RequestLedger ledger_{sink_, origin(), &charges_};
};

TEST_F(BookedTurnsTest, EachTurnIsChargedWithTheModelAndConversationOfItsCreateFrame) {
    BookedTurns turns(admission_, ledger_, "");
    std::string first = R"({"type":"response.create","model":"alias","prompt_cache_key":"t-1"})";
    std::string second = R"({"type":"response.create","model":"gpt-6-sol"})";
    ASSERT_FALSE(turns.open(first));
    ASSERT_FALSE(turns.open(second));
    turns.close(ended("resp_1", 1'000));
    turns.close(ended("resp_2", 2'500));

    ASSERT_EQ(charges_.charged_.size(), 2U);
    EXPECT_EQ(admission_.closed, 2);
    EXPECT_EQ(charges_.charged_[0].record.model, "gpt-5.5") << "as admission rewrote it";
    EXPECT_EQ(charges_.charged_[0].trace.conversation_key, "t-1");
    EXPECT_EQ(charges_.charged_[0].trace.response_id, "resp_1");
    EXPECT_EQ(charges_.charged_[0].record.input_tokens, 1'000U);
    EXPECT_EQ(charges_.charged_[1].record.model, "gpt-6-sol");
    EXPECT_EQ(charges_.charged_[1].trace.conversation_key, "");
    EXPECT_EQ(charges_.charged_[1].trace.response_id, "resp_2");
}

TEST_F(BookedTurnsTest, TheHandshakesSessionIsTheConversationOfEveryTurn) {
    BookedTurns turns(admission_, ledger_, "session-9");
    std::string create = R"({"type":"response.create","model":"gpt-5.5","prompt_cache_key":"x"})";
    ASSERT_FALSE(turns.open(create));
    turns.close(ended("resp_1", 10));
    ASSERT_EQ(charges_.charged_.size(), 1U);
    EXPECT_EQ(charges_.charged_[0].trace.conversation_key, "session-9");
}

TEST_F(BookedTurnsTest, APrewarmIsNotChargedAndTheTurnAfterItIs) {
    BookedTurns turns(admission_, ledger_, "session-9");
    std::string prewarm = R"({"type":"response.create","model":"gpt-5.5","generate":false})";
    std::string create = R"({"type":"response.create","model":"gpt-5.5"})";
    ASSERT_FALSE(turns.open(prewarm));
    ASSERT_FALSE(turns.open(create));
    turns.close(ended("resp_warm", 0));
    turns.close(ended("resp_1", 10));
    ASSERT_EQ(charges_.charged_.size(), 1U);
    EXPECT_EQ(charges_.charged_[0].trace.response_id, "resp_1");
    EXPECT_EQ(admission_.closed, 2);
}

TEST_F(BookedTurnsTest, ARefusedFrameOpensNoTurnAndAStrayEndChargesNothing) {
    BookedTurns turns(admission_, ledger_, "");
    std::string refused = R"({"type":"response.create","model":"refused"})";
    EXPECT_TRUE(turns.open(refused));
    turns.close(ended("resp_x", 100));
    EXPECT_TRUE(charges_.charged_.empty());
    EXPECT_EQ(admission_.closed, 1) << "admission still hears of the end";
}

}  // namespace
}  // namespace sluice::core::accounting
