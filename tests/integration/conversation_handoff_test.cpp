// A conversation pinned to an account that is gone, in a pool that allows a handoff
// (pools.<name>.handoff): it goes on on another account, its history replayed without what only
// the first account could read, and the client is told once. Against the emulator, on 127.0.0.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/control/account_service.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

HarnessOptions twoAccounts(bool handoff) {
    HarnessOptions o = GatewayHarness::twoAccounts();
    o.team_pool_yaml = handoff ? "handoff: true" : "";
    return o;
}

json userMessage(const std::string& text) {
    return {{"type", "message"},
            {"role", "user"},
            {"content", json::array({{{"type", "input_text"}, {"text", text}}})}};
}

// A first turn as a stateless Codex client sends it: its earlier reasoning, encrypted.
std::string firstTurn() {
    return json{{"model", "gpt-5.5"},
                {"stream", false},
                {"input", json::array({userMessage("hi"),
                                       {{"type", "reasoning"},
                                        {"summary", json::array()},
                                        {"encrypted_content", "gAAAA-bound-to-acct"}}})}}
        .dump();
}

std::string continuation(const std::string& previous) {
    return json{{"model", "gpt-5.5"},
                {"stream", true},
                {"previous_response_id", previous},
                {"input", json::array({userMessage("go on")})}}
        .dump();
}

// The id the stream's response.completed event carries.
std::string completedId(const std::string& stream) {
    const std::string marker = "data: {\"type\":\"response.completed\"";
    const std::size_t at = stream.find(marker);
    if (at == std::string::npos) {
        return {};
    }
    const std::size_t start = at + 6;
    const json event = json::parse(stream.substr(start, stream.find('\n', start) - start));
    return event["response"]["id"];
}

// The turns an account received (it may also be asked for other things, e.g. the catalog).
std::vector<emulator::RecordedRequest> turns(GatewayHarness& harness, const std::string& account) {
    std::vector<emulator::RecordedRequest> out;
    for (auto& request : harness.recorded(account)) {
        if (request.path.find("/responses") != std::string::npos) {
            out.push_back(std::move(request));
        }
    }
    return out;
}

struct FirstTurn {
    std::string response_id;
    std::string owner;
    std::string other;
};

FirstTurn startAndExhaustOwner(GatewayHarness& harness) {
    const HttpReply first = harness.postResponses(firstTurn());
    EXPECT_EQ(first.status, 200) << first.body;
    FirstTurn turn{json::parse(first.body)["id"], harness.recorded().back().account_id, ""};
    EXPECT_TRUE(harness.recorded().back().has_encrypted_content) << "the emulator sees reasoning";
    turn.other = turn.owner == "acct-a" ? "acct-b" : "acct-a";
    harness.setBehaviour(turn.owner, R"({"mode":"usage_limit","resets_in":"1h"})");
    return turn;
}

TEST(ConversationHandoffTest, AStuckConversationGoesOnOnAnotherAccountWithItsHistoryReplayed) {
    GatewayHarness harness(twoAccounts(true));
    const FirstTurn first = startAndExhaustOwner(harness);

    const HttpReply continued = harness.postResponses(continuation(first.response_id));
    ASSERT_EQ(continued.status, 200) << continued.body;
    const std::string notice = continued.header("x-sluice-handoff");
    EXPECT_NE(notice.find("previous_response_id=" + first.response_id), std::string::npos)
        << notice;
    EXPECT_NE(notice.find("reason=usage_limit_reached"), std::string::npos) << notice;
    EXPECT_NE(continued.body.find("event: sluice.handoff\ndata: {"), std::string::npos)
        << continued.body;
    EXPECT_FALSE(completedId(continued.body).empty()) << continued.body;

    const auto received = turns(harness, first.other);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_FALSE(received.back().previous_response_id.has_value());
    EXPECT_FALSE(received.back().has_encrypted_content);
    // "hi", the first answer, "go on": the encrypted reasoning left out.
    EXPECT_EQ(received.back().input_items.value_or(0), 3u);
    EXPECT_EQ(harness.modelRequestsByAccount()[first.owner], 2);
    EXPECT_EQ(harness.metric("sluice_dispatch_handoffs_total"), 1);
    EXPECT_EQ(harness.metric("sluice_dispatch_rejections_total", "pinned_account_unavailable"), 0);
}

TEST(ConversationHandoffTest, TheHandedOffConversationStaysOnItsNewAccountWithoutANotice) {
    GatewayHarness harness(twoAccounts(true));
    const FirstTurn first = startAndExhaustOwner(harness);
    const HttpReply moved = harness.postResponses(continuation(first.response_id));
    ASSERT_EQ(moved.status, 200) << moved.body;

    const HttpReply next = harness.postResponses(continuation(completedId(moved.body)));
    ASSERT_EQ(next.status, 200) << next.body;
    EXPECT_EQ(next.header("x-sluice-handoff"), "");
    EXPECT_EQ(next.body.find("sluice.handoff"), std::string::npos) << next.body;
    const auto received = turns(harness, first.other);
    ASSERT_EQ(received.size(), 2u);
    EXPECT_EQ(received.back().previous_response_id.value_or(""), completedId(moved.body));
}

TEST(ConversationHandoffTest, AnAccountKnownToBeOutHandsOffBeforeAnyAttempt) {
    GatewayHarness harness(twoAccounts(true));
    const FirstTurn first = startAndExhaustOwner(harness);
    ASSERT_EQ(harness.postResponses(continuation(first.response_id)).status, 200);

    // The owner is now known to be out until its reset: it is not asked again.
    const HttpReply again = harness.postResponses(continuation(first.response_id));
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_NE(again.header("x-sluice-handoff").find("usage limit reached"), std::string::npos)
        << again.header("x-sluice-handoff");
    EXPECT_EQ(harness.modelRequestsByAccount()[first.owner], 2);
    EXPECT_EQ(harness.modelRequestsByAccount()[first.other], 2);
}

TEST(ConversationHandoffTest, APausedAccountsConversationGoesOnElsewhere) {
    GatewayHarness harness(twoAccounts(true));
    const HttpReply first = harness.postResponses(firstTurn());
    ASSERT_EQ(first.status, 200) << first.body;
    const std::string owner = harness.recorded().back().account_id;
    ASSERT_TRUE(core::control::AccountService(harness.control())
                    .setPaused(harness.accountId(owner), true, "test")
                    .ok());

    const HttpReply continued = harness.postResponses(continuation(json::parse(first.body)["id"]));
    ASSERT_EQ(continued.status, 200) << continued.body;
    EXPECT_NE(continued.header("x-sluice-handoff").find("paused"), std::string::npos)
        << continued.header("x-sluice-handoff");
    EXPECT_EQ(harness.modelRequestsByAccount()[owner], 1);
}

TEST(ConversationHandoffTest, WithoutTheOptInTheConversationGetsTheRecoveryHint) {
    GatewayHarness harness(twoAccounts(false));
    const FirstTurn first = startAndExhaustOwner(harness);

    const HttpReply continued = harness.postResponses(continuation(first.response_id));
    EXPECT_EQ(continued.status, 503) << continued.body;
    EXPECT_EQ(json::parse(continued.body)["error"]["code"], "pinned_account_unavailable");
    EXPECT_EQ(continued.header("x-codex-recovery-kind"), "restart_with_full_context");
    EXPECT_EQ(continued.header("x-sluice-handoff"), "");
    EXPECT_TRUE(turns(harness, first.other).empty());
    EXPECT_EQ(harness.metric("sluice_dispatch_handoffs_total"), 0);
    EXPECT_EQ(harness.metric("sluice_dispatch_rejections_total", "pinned_account_unavailable"), 1);
}

}  // namespace
}  // namespace sluice::integration
