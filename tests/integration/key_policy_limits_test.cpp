// Per-key policies through the real gateway and the emulator: each limit answers a typed
// OpenAI-style error (429 with Retry-After, 403 for models), never a 5xx, and is counted in
// sluice_admission_rejections_total.
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

class KeyPolicyLimitsTest : public ::testing::Test {
protected:
    KeyPolicyLimitsTest() : harness_(options()) {}

    static HarnessOptions options() {
        HarnessOptions o;
        o.emulator_script =
            "accounts:\n"
            "  - { id: acct-a, access_token: tok-a, websocket: accept }\n";
        o.accounts = {{"acct-a", "tok-a"}};
        return o;
    }

    // Replaces the harness key's policy the way an operator does, and lets the gateway see it.
    void setPolicy(const std::string& policy_json) {
        const auto stored = harness_.setKeyPolicy(policy_json);
        ASSERT_TRUE(stored.ok()) << stored.message();
    }

    double rejections(const std::string& limit) {
        return harness_.metric("sluice_admission_rejections_total", "limit=\"" + limit + "\"");
    }

    // A Responses websocket on the harness key; throws when the gateway refuses the upgrade.
    std::unique_ptr<Poco::Net::WebSocket> openWebSocket(Poco::Net::HTTPClientSession& session) {
        Poco::Net::HTTPRequest upgrade(Poco::Net::HTTPRequest::HTTP_GET,
                                       "/backend-api/codex/responses",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        upgrade.set("Authorization", "Bearer " + harness_.key());
        upgrade.set("OpenAI-Beta", "responses_websockets=2026-02-06");
        Poco::Net::HTTPResponse response;
        auto socket = std::make_unique<Poco::Net::WebSocket>(session, upgrade, response);
        socket->setReceiveTimeout(Poco::Timespan(10, 0));
        return socket;
    }

    GatewayHarness harness_;
};

// The error object of an OpenAI-style envelope, after checking its shape.
json errorOf(const HttpReply& reply) {
    const json body = json::parse(reply.body, nullptr, false);
    EXPECT_TRUE(body.is_object() && body.contains("error")) << reply.body;
    if (!body.is_object() || !body.contains("error")) {
        return json::object();
    }
    const json& error = body["error"];
    for (const char* field : {"message", "type", "code", "param"}) {
        EXPECT_TRUE(error.contains(field)) << field << " missing in " << reply.body;
    }
    EXPECT_TRUE(error["message"].is_string() && !error["message"].get<std::string>().empty());
    return error;
}

// A 429 with a positive Retry-After naming `limit`.
void expectLimited(const HttpReply& reply, const std::string& limit) {
    EXPECT_EQ(reply.status, 429) << reply.body;
    const std::string retry_after = reply.header("Retry-After");
    ASSERT_FALSE(retry_after.empty()) << "no Retry-After on " << reply.body;
    EXPECT_GT(std::stoll(retry_after), 0);
    const json error = errorOf(reply);
    EXPECT_EQ(error.value("type", ""), limit);
    EXPECT_EQ(error.value("code", ""), "rate_limit_exceeded");
}

std::string bodyWith(const json& extra) {
    json body = json::parse(GatewayHarness::turnBody());
    body.update(extra);
    return body.dump();
}

TEST_F(KeyPolicyLimitsTest, RequestsPerMinute) {
    setPolicy(R"({"requests_per_minute":2})");
    EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    const HttpReply refused = harness_.postResponses(GatewayHarness::turnBody());
    expectLimited(refused, "requests_per_minute");
    EXPECT_LE(std::stoll(refused.header("Retry-After")), 60);
    EXPECT_EQ(harness_.modelRequestsByAccount()["acct-a"],
              2);  // the refused one never went upstream
    EXPECT_EQ(rejections("requests_per_minute"), 1);
}

TEST_F(KeyPolicyLimitsTest, TokensPerDay) {
    // One reservation fits the budget; once anything is used or held, the next one does not.
    setPolicy(R"({"tokens_per_day":1000,"max_tokens_per_request":1000})");
    EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    expectLimited(harness_.postResponses(GatewayHarness::turnBody()), "tokens_per_day");
    EXPECT_EQ(rejections("tokens_per_day"), 1);
}

TEST_F(KeyPolicyLimitsTest, TokensPerWeek) {
    setPolicy(R"({"tokens_per_week":1000,"max_tokens_per_request":1000})");
    EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    expectLimited(harness_.postResponses(GatewayHarness::turnBody()), "tokens_per_week");
    EXPECT_EQ(rejections("tokens_per_week"), 1);
}

TEST_F(KeyPolicyLimitsTest, MaxTokensPerRequest) {
    setPolicy(R"({"max_tokens_per_request":200})");
    EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    expectLimited(harness_.postResponses(GatewayHarness::turnBody(std::string(2000, 'x'))),
                  "tokens_per_request");
    EXPECT_EQ(rejections("tokens_per_request"), 1);
}

TEST_F(KeyPolicyLimitsTest, ConcurrentStreams) {
    // An open websocket holds the key's only stream slot for as long as it is connected.
    setPolicy(R"({"max_concurrent_streams":1})");
    Poco::Net::HTTPClientSession session("127.0.0.1", harness_.port());
    const auto socket = openWebSocket(session);

    expectLimited(harness_.postResponses(GatewayHarness::turnBody()), "concurrent_streams");
    EXPECT_EQ(rejections("concurrent_streams"), 1);
    socket->shutdown();
}

TEST_F(KeyPolicyLimitsTest, ModelNotAllowed) {
    setPolicy(R"({"allowed_models":["gpt-5.5-mini"]})");
    const HttpReply refused = harness_.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(refused.status, 403) << refused.body;
    const json error = errorOf(refused);
    EXPECT_EQ(error.value("type", ""), "permission_error");
    EXPECT_EQ(error.value("code", ""), "model_not_allowed");
    EXPECT_EQ(error.value("param", ""), "model");
    EXPECT_TRUE(harness_.recordedAt("/backend-api/codex/responses").empty());
    EXPECT_EQ(rejections("model_not_allowed"), 1);
}

TEST_F(KeyPolicyLimitsTest, EnforcedModelIsWhatUpstreamReceives) {
    setPolicy(R"({"enforced_model":"gpt-5.5-mini"})");
    EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status, 200);
    const auto recorded = harness_.recordedAt("/backend-api/codex/responses");
    ASSERT_EQ(recorded.size(), 1U);
    EXPECT_EQ(recorded[0].model.value_or(""), "gpt-5.5-mini");
}

TEST_F(KeyPolicyLimitsTest, ReasoningEffortIsCappedBeforeItGoesUpstream) {
    setPolicy(R"({"max_reasoning_effort":"low"})");
    EXPECT_EQ(harness_.postResponses(bodyWith({{"reasoning", {{"effort", "xhigh"}}}})).status, 200);
    EXPECT_EQ(harness_.postResponses(GatewayHarness::turnBody()).status,
              200);  // default medium: capped too
    EXPECT_EQ(harness_.postResponses(bodyWith({{"reasoning", {{"effort", "minimal"}}}})).status,
              200);
    const auto recorded = harness_.recordedAt("/backend-api/codex/responses");
    ASSERT_EQ(recorded.size(), 3U);
    EXPECT_EQ(recorded[0].reasoning_effort.value_or(""), "low");
    EXPECT_EQ(recorded[1].reasoning_effort.value_or(""), "low");
    EXPECT_EQ(recorded[2].reasoning_effort.value_or(""), "minimal");
}

TEST_F(KeyPolicyLimitsTest, AWebSocketTurnForAModelNotAllowedGetsAnErrorEvent) {
    setPolicy(R"({"allowed_models":["gpt-5.5-mini"]})");
    Poco::Net::HTTPClientSession session("127.0.0.1", harness_.port());
    const auto socket = openWebSocket(session);
    const std::string create = R"({"type":"response.create","model":"gpt-5.5","input":[]})";
    socket->sendFrame(create.data(), static_cast<int>(create.size()),
                      Poco::Net::WebSocket::FRAME_TEXT);
    Poco::Buffer<char> buffer(0);
    int flags = 0;
    ASSERT_GT(socket->receiveFrame(buffer, flags), 0);
    const json event = json::parse(std::string(buffer.begin(), buffer.size()), nullptr, false);
    EXPECT_EQ(event.value("type", ""), "error") << event.dump();
    EXPECT_NE(event.dump().find("model_not_allowed"), std::string::npos) << event.dump();
    socket->shutdown();
    for (const auto& request : harness_.recorded("acct-a")) {
        EXPECT_FALSE(request.model.has_value()) << "the refused turn went upstream";
    }
}

TEST_F(KeyPolicyLimitsTest, RefusalsAreMetricsWithTheLimitLabel) {
    setPolicy(R"({"requests_per_minute":1})");
    harness_.postResponses(GatewayHarness::turnBody());
    harness_.postResponses(GatewayHarness::turnBody());
    const HttpReply metrics = harness_.request("GET", "/metrics", "", {}, false);
    EXPECT_NE(
        metrics.body.find("sluice_admission_rejections_total{limit=\"requests_per_minute\"} 1"),
        std::string::npos)
        << metrics.body.substr(0, 2000);
}

}  // namespace
}  // namespace sluice::integration
