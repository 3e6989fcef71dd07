// Shutdown past server.drain_timeout (issue 22 item 9): every stream still open is ended with
// its surface's typed error before the connection closes, and the stop stays bounded. Observed
// from the client side only, as any data plane must behave.
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using Poco::Net::WebSocket;
using json = nlohmann::json;

constexpr auto kStopBound = std::chrono::seconds(10);

// Streams that last about 30 s unless cut; the gateway drains for 300 ms only.
HarnessOptions longStreams() {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n  - { id: acct-a, access_token: tok-a, websocket: accept, behaviour: "
        "{ mode: normal, deltas: 150, event_delay: 200ms } }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.plugins = {"route-openai"};
    o.extra_routes = {"{ family: openai_v1 }"};
    o.drain_timeout = "300ms";
    return o;
}

// Waits until the upstream has the turn and its first events have been relayed.
void awaitOpenStream(GatewayHarness& harness) {
    for (int i = 0; i < 500 && harness.modelRequestsByAccount().empty(); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_FALSE(harness.modelRequestsByAccount().empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
}

// Stops the gateway under an open stream and returns how long the stop took.
std::chrono::steady_clock::duration stopUnder(GatewayHarness& harness) {
    const auto started = std::chrono::steady_clock::now();
    harness.gateway().stop();
    return std::chrono::steady_clock::now() - started;
}

TEST(ShutdownCutTest, ACodexStreamPastTheDrainTimeoutEndsWithResponseFailed) {
    GatewayHarness harness(longStreams());
    auto stream = std::async(std::launch::async,
                             [&] { return harness.postResponses(GatewayHarness::turnBody()); });
    awaitOpenStream(harness);
    EXPECT_LT(stopUnder(harness), kStopBound);
    const HttpReply reply = stream.get();
    EXPECT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find("response.output_text.delta"), std::string::npos) << reply.body;
    EXPECT_EQ(reply.body.find("response.completed"), std::string::npos);
    const auto failed = reply.body.rfind("event: response.failed\ndata: ");
    ASSERT_NE(failed, std::string::npos) << reply.body;
    const json event = json::parse(reply.body.substr(failed + 29));
    EXPECT_EQ(event["response"]["error"]["code"], "server_shutting_down") << event;
    EXPECT_EQ(event["response"]["status"], "failed");
}

TEST(ShutdownCutTest, AChatCompletionStreamPastTheDrainTimeoutEndsWithAnErrorChunk) {
    GatewayHarness harness(longStreams());
    const json body{{"model", "gpt-5.5"},
                    {"stream", true},
                    {"messages", {{{"role", "user"}, {"content", "hi"}}}}};
    auto stream = std::async(std::launch::async, [&] {
        return harness.request("POST", "/v1/chat/completions", body.dump());
    });
    awaitOpenStream(harness);
    EXPECT_LT(stopUnder(harness), kStopBound);
    const HttpReply reply = stream.get();
    EXPECT_EQ(reply.status, 200);
    EXPECT_NE(reply.body.find("chat.completion.chunk"), std::string::npos) << reply.body;
    const auto last = reply.body.rfind("data: ");
    ASSERT_NE(last, std::string::npos);
    const json chunk = json::parse(reply.body.substr(last + 6));
    EXPECT_EQ(chunk["error"]["code"], "server_shutting_down") << reply.body;
    EXPECT_EQ(chunk["error"]["type"], "server_error");
}

TEST(ShutdownCutTest, AWebsocketPastTheDrainTimeoutIsClosedWith1001AndAReason) {
    GatewayHarness harness(longStreams());
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    Poco::Net::HTTPRequest upgrade(Poco::Net::HTTPRequest::HTTP_GET, "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    upgrade.set("Authorization", "Bearer " + harness.key());
    Poco::Net::HTTPResponse answer;
    WebSocket socket(session, upgrade, answer);
    socket.setReceiveTimeout(Poco::Timespan(15, 0));
    const std::string create =
        R"({"type":"response.create","model":"gpt-5.5","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})";
    socket.sendFrame(create.data(), static_cast<int>(create.size()), WebSocket::FRAME_TEXT);
    awaitOpenStream(harness);
    auto stopped = std::async(std::launch::async, [&] { return stopUnder(harness); });

    int code = 0;
    std::string reason;
    bool saw_delta = false;
    std::string last;
    while (true) {
        Poco::Buffer<char> frame(0);
        int flags = 0;
        const int received = socket.receiveFrame(frame, flags);
        if (received <= 0 && flags == 0) {
            break;
        }
        const std::string payload(frame.begin(), frame.size());
        if ((flags & WebSocket::FRAME_OP_BITMASK) == WebSocket::FRAME_OP_CLOSE) {
            ASSERT_GE(payload.size(), 2U);
            code = (static_cast<unsigned char>(payload[0]) << 8) |
                   static_cast<unsigned char>(payload[1]);
            reason = payload.substr(2);
            break;
        }
        saw_delta = saw_delta || payload.find("response.output_text.delta") != std::string::npos;
        last = payload;
    }
    EXPECT_TRUE(saw_delta) << last;
    EXPECT_EQ(code, WebSocket::WS_ENDPOINT_GOING_AWAY);
    EXPECT_NE(reason.find("shutting down"), std::string::npos) << reason;
    EXPECT_LT(stopped.get(), kStopBound);
}

}  // namespace
}  // namespace sluice::integration
