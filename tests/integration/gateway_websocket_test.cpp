// The Responses websocket transport through the gateway: one upstream socket per client
// socket, pinned to its account; refused upgrades become a 426 the Codex CLI falls back from.
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <mutex>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using Poco::Net::WebSocket;

std::unique_ptr<WebSocket> connect(GatewayHarness& harness, Poco::Net::HTTPClientSession& session,
                                   Poco::Net::HTTPResponse& response) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + harness.key());
    request.set("OpenAI-Beta", "responses_websockets=2026-02-06");
    request.set("session-id", "ws-thread");
    return std::make_unique<WebSocket>(session, request, response);
}

// Reads frames until one whose JSON type is `type`; returns every frame read.
std::vector<std::string> readUntil(WebSocket& socket, const std::string& type) {
    std::vector<std::string> frames;
    while (true) {
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        const int n = socket.receiveFrame(buffer, flags);
        if (n <= 0) {
            return frames;
        }
        frames.emplace_back(buffer.begin(), buffer.size());
        if (frames.back().find("\"type\":\"" + type + "\"") != std::string::npos) {
            return frames;
        }
    }
}

void sendJson(WebSocket& socket, const std::string& json) {
    socket.sendFrame(json.data(), static_cast<int>(json.size()), WebSocket::FRAME_TEXT);
}

HarnessOptions accounts(const std::string& websocket) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, websocket: " +
        websocket +
        " }\n"
        "  - { id: acct-b, access_token: tok-b, websocket: " +
        websocket + " }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    return o;
}

TEST(GatewayWebSocketTest, RelaysPrewarmAndIncrementalTurnsOnOneAccount) {
    GatewayHarness harness(accounts("accept"));
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    Poco::Net::HTTPResponse response;
    auto socket = connect(harness, session, response);
    socket->setReceiveTimeout(Poco::Timespan(10, 0));
    EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);

    sendJson(*socket,
             R"({"type":"response.create","model":"gpt-5.5","generate":false,"input":[]})");
    const auto prewarm = readUntil(*socket, "response.completed");
    ASSERT_FALSE(prewarm.empty());
    const std::string& completed = prewarm.back();
    const auto id_at = completed.find("\"id\":\"") + 6;
    const std::string response_id = completed.substr(id_at, completed.find('"', id_at) - id_at);

    sendJson(
        *socket,
        R"({"type":"response.create","model":"gpt-5.5","previous_response_id":")" + response_id +
            R"(","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})");
    const auto turn = readUntil(*socket, "response.completed");
    ASSERT_FALSE(turn.empty());
    EXPECT_NE(turn.back().find("\"usage\""), std::string::npos);
    socket->shutdown();

    // Both frames went up the same upstream socket: one account, continuing its own response.
    const auto counts = harness.modelRequestsByAccount();
    ASSERT_EQ(counts.size(), 1U);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].route, "codex.responses_websocket");
    EXPECT_EQ(logs[0].method, "GET");
    EXPECT_EQ(logs[0].route_path, "/backend-api/codex/responses");
    EXPECT_EQ(logs[0].model, "gpt-5.5");
    EXPECT_EQ(logs[0].status, 101);
    EXPECT_GT(logs[0].output_tokens, 0U);
}

/// Orders the candidates as offered and keeps every outcome it hears.
class OutcomeRecorder final : public sdk::RoutingStrategy {
public:
    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override {
        for (std::uint32_t i = 0; i < context.candidate_count && out.size() < context.limit; ++i) {
            out.push_back(i);
        }
    }
    void onOutcome(const sdk::Outcome& outcome) noexcept override {
        std::lock_guard lock(mutex_);
        heard_.push_back({outcome.kind, outcome.total_tokens});
    }
    std::vector<std::pair<sdk::OutcomeKind, std::uint64_t>> heard() {
        std::lock_guard lock(mutex_);
        return heard_;
    }

private:
    std::mutex mutex_;
    std::vector<std::pair<sdk::OutcomeKind, std::uint64_t>> heard_;
};

TEST(GatewayWebSocketTest, TheUpgradeAndEachTurnFeedTheStrategy) {
    GatewayHarness harness(accounts("accept"));
    auto recorder = std::make_shared<OutcomeRecorder>();
    harness.gateway().routing().replaceStrategies({{"main", recorder}});
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    Poco::Net::HTTPResponse response;
    auto socket = connect(harness, session, response);
    socket->setReceiveTimeout(Poco::Timespan(10, 0));
    ASSERT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
    sendJson(
        *socket,
        R"({"type":"response.create","model":"gpt-5.5","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})");
    ASSERT_FALSE(readUntil(*socket, "response.completed").empty());
    socket->shutdown();

    const auto heard = recorder->heard();
    ASSERT_EQ(heard.size(), 2U);  // the upgrade, then the turn with its tokens
    EXPECT_EQ(heard[0].first, sdk::OutcomeKind::Success);
    EXPECT_EQ(heard[1].first, sdk::OutcomeKind::Success);
    EXPECT_GT(heard[1].second, 0U);
}

TEST(GatewayWebSocketTest, RefusedUpgradeBecomesA426SoClientsFallBackToHttp) {
    GatewayHarness harness(accounts("refuse"));
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    Poco::Net::HTTPResponse response;
    EXPECT_THROW(connect(harness, session, response), Poco::Net::WebSocketException);
    EXPECT_EQ(response.getStatus(), 426);
    // The HTTP transport still works for the same client.
    EXPECT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 200);
}

TEST(GatewayWebSocketTest, PlainGetWithoutUpgradeIsTold426) {
    GatewayHarness harness(accounts("accept"));
    const HttpReply reply = harness.request("GET", "/backend-api/codex/responses");
    EXPECT_EQ(reply.status, 426);
    EXPECT_NE(reply.body.find("upgrade_required"), std::string::npos);
}

}  // namespace
}  // namespace sluice::integration
