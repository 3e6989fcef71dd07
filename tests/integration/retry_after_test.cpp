// Answers the gateway gives when no account can serve now carry Retry-After: the earliest
// moment an excluded account of the pool becomes eligible again (issue 22.11). On 127.0.0.1.
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

HarnessOptions oneAccountBehaving(const std::string& behaviour) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: " + behaviour + " }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    return o;
}

long retryAfter(const HttpReply& reply) {
    const std::string value = reply.header("retry-after");
    return value.empty() ? -1 : std::stol(value);
}

TEST(RetryAfterTest, AnExhaustedPoolNamesTheUsageLimitReset) {
    GatewayHarness harness(oneAccountBehaving("{ mode: usage_limit, resets_in: 1h }"));
    ASSERT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 429);
    const HttpReply refused = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(refused.status, 429);
    EXPECT_NE(refused.body.find("usage_limit_reached"), std::string::npos) << refused.body;
    EXPECT_GE(retryAfter(refused), 3590);
    EXPECT_LE(retryAfter(refused), 3601);
}

TEST(RetryAfterTest, AWebsocketAnExhaustedPoolCannotOpenNamesTheReset) {
    GatewayHarness harness(oneAccountBehaving("{ mode: usage_limit, resets_in: 1h }"));
    ASSERT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 429);
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + harness.key());
    Poco::Net::HTTPResponse response;
    EXPECT_THROW(Poco::Net::WebSocket(session, request, response), Poco::Net::WebSocketException);
    EXPECT_EQ(response.getStatus(), 429);
    const long seconds = std::stol(response.get("Retry-After", "-1"));
    EXPECT_GE(seconds, 3590);
    EXPECT_LE(seconds, 3601);
}

TEST(RetryAfterTest, NoEligibleAccountNamesTheCircuitProbeTime) {
    GatewayHarness harness(oneAccountBehaving("{ mode: error, status: 500 }"));
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 500);
    }
    const HttpReply refused = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(refused.status, 503);
    EXPECT_NE(refused.body.find("circuit open"), std::string::npos) << refused.body;
    EXPECT_GE(retryAfter(refused), 50);
    EXPECT_LE(retryAfter(refused), 60);
}

TEST(RetryAfterTest, TheEarliestOfSeveralExcludedAccountsWins) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, behaviour: { mode: usage_limit, resets_in: 2h } }\n"
        "  - { id: acct-b, access_token: tok-b, behaviour: { mode: usage_limit, resets_in: 30m } "
        "}\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    GatewayHarness harness(o);
    harness.postResponses(GatewayHarness::turnBody());  // both answer 429 and are excluded
    const HttpReply refused = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(refused.status, 429) << refused.body;
    EXPECT_GE(retryAfter(refused), 1790);
    EXPECT_LE(retryAfter(refused), 1801);
}

TEST(RetryAfterTest, AnUpstreamLimitAnswerNamesTheEarliestResetInThePool) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, behaviour: { mode: usage_limit, resets_in: 30m } "
        "}\n"
        "  - { id: acct-b, access_token: tok-b, behaviour: { mode: normal } }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    GatewayHarness harness(o);
    for (int i = 0; i < 2; ++i) {
        harness.postResponses(GatewayHarness::turnBody());  // acct-a answers 429 and is excluded
    }
    harness.setBehaviour("acct-b", R"({"mode":"usage_limit","resets_in":"2h"})");
    const HttpReply limited = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(limited.status, 429) << limited.body;
    EXPECT_NE(limited.body.find("usage_limit_reached"), std::string::npos) << limited.body;
    EXPECT_GE(retryAfter(limited), 1790) << "acct-a serves again in 30 minutes, before acct-b";
    EXPECT_LE(retryAfter(limited), 1801);
}

TEST(RetryAfterTest, PinnedAccountUnavailableNamesItsReset) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, behaviour: { mode: normal } }\n"
        "  - { id: acct-b, access_token: tok-b, behaviour: { mode: normal } }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    GatewayHarness harness(o);
    const HttpReply first = harness.postResponses(GatewayHarness::turnBody("hi", false));
    ASSERT_EQ(first.status, 200);
    const auto id_at = first.body.find("\"id\":\"") + 6;
    const std::string response_id = first.body.substr(id_at, first.body.find('"', id_at) - id_at);
    const std::string owner = harness.recorded().back().account_id;
    harness.setBehaviour(owner, R"({"mode":"usage_limit","resets_in":"1h"})");
    for (int i = 0; i < 3; ++i) {
        harness.postResponses(GatewayHarness::turnBody(),
                              {{"session-id", "s" + std::to_string(i)}});
    }
    const HttpReply refused =
        harness.postResponses(R"({"model":"gpt-5.5","stream":true,"previous_response_id":")" +
                              response_id + R"(","input":[]})");
    EXPECT_EQ(refused.status, 503);
    EXPECT_NE(refused.body.find("pinned_account_unavailable"), std::string::npos) << refused.body;
    EXPECT_GE(retryAfter(refused), 3590);
    EXPECT_LE(retryAfter(refused), 3601);
}

TEST(RetryAfterTest, NothingKnownMeansNoRetryAfter) {
    HarnessOptions o;
    o.emulator_script = "accounts: []\n";
    GatewayHarness harness(o);
    const HttpReply refused = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.header("retry-after"), "");
}

}  // namespace
}  // namespace sluice::integration
