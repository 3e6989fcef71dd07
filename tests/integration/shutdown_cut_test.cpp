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
#include <memory>
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

/// One client websocket to the gateway's Codex surface.
std::unique_ptr<WebSocket> openWebSocket(GatewayHarness& harness,
                                         Poco::Net::HTTPClientSession& session) {
    Poco::Net::HTTPRequest upgrade(Poco::Net::HTTPRequest::HTTP_GET, "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    upgrade.set("Authorization", "Bearer " + harness.key());
    Poco::Net::HTTPResponse answer;
    auto socket = std::make_unique<WebSocket>(session, upgrade, answer);
    socket->setReceiveTimeout(Poco::Timespan(15, 0));
    return socket;
}

void sendCreate(WebSocket& socket, json extra = json::object()) {
    json create = json::parse(
        R"({"type":"response.create","model":"gpt-5.5","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})");
    create.update(extra);
    const std::string text = create.dump();
    socket.sendFrame(text.data(), static_cast<int>(text.size()), WebSocket::FRAME_TEXT);
}

/// How a client websocket ended: its close frame's code and reason, and what came before.
struct WebSocketEnd {
    int code = 0;
    std::string reason;
    bool saw_delta = false;
    std::string last;  ///< the last data frame
};

/// Reads frames up to the gateway's close frame, or to the end of the connection.
WebSocketEnd readToClose(WebSocket& socket) {
    WebSocketEnd end;
    while (true) {
        Poco::Buffer<char> frame(0);
        int flags = 0;
        const int received = socket.receiveFrame(frame, flags);
        if (received <= 0 && flags == 0) {
            return end;
        }
        const std::string payload(frame.begin(), frame.size());
        if ((flags & WebSocket::FRAME_OP_BITMASK) == WebSocket::FRAME_OP_CLOSE) {
            if (payload.size() >= 2) {
                end.code = (static_cast<unsigned char>(payload[0]) << 8) |
                           static_cast<unsigned char>(payload[1]);
                end.reason = payload.substr(2);
            }
            return end;
        }
        end.saw_delta =
            end.saw_delta || payload.find("response.output_text.delta") != std::string::npos;
        end.last = payload;
    }
}

/// Reads a response's frames up to its response.completed and returns the response's id.
std::string readCompleted(WebSocket& socket) {
    while (true) {
        Poco::Buffer<char> frame(0);
        int flags = 0;
        if (socket.receiveFrame(frame, flags) <= 0) {
            return "";
        }
        const json event = json::parse(std::string(frame.begin(), frame.size()));
        if (event.value("type", "") == "response.completed") {
            return event["response"]["id"].get<std::string>();
        }
    }
}

/// Stops the gateway under the socket's open stream: the client must be told why, in time.
void expectCutWithGoingAway(GatewayHarness& harness, WebSocket& socket) {
    auto stopped = std::async(std::launch::async, [&] { return stopUnder(harness); });
    const WebSocketEnd end = readToClose(socket);
    EXPECT_TRUE(end.saw_delta) << end.last;
    EXPECT_EQ(end.code, WebSocket::WS_ENDPOINT_GOING_AWAY);
    EXPECT_NE(end.reason.find("shutting down"), std::string::npos) << end.reason;
    EXPECT_LT(stopped.get(), kStopBound);
}

TEST(ShutdownCutTest, AWebsocketPastTheDrainTimeoutIsClosedWith1001AndAReason) {
    GatewayHarness harness(longStreams());
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    const auto socket = openWebSocket(harness, session);
    sendCreate(*socket);
    awaitOpenStream(harness);
    expectCutWithGoingAway(harness, *socket);
}

// The relay follows a replaced upstream socket with its shutdown hold: the cut must reach the
// replacement, not the socket it closed.
TEST(ShutdownCutTest, AWebsocketWhoseUpstreamWasReplacedIsStillClosedWith1001) {
    HarnessOptions o = longStreams();
    o.upstream_yaml = "websocket_max_age: 300ms";
    GatewayHarness harness(o);
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    const auto socket = openWebSocket(harness, session);
    sendCreate(*socket, {{"generate", false}});  // answered at once, no deltas
    const std::string first = readCompleted(*socket);
    ASSERT_FALSE(first.empty());
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // past the socket's max age
    sendCreate(*socket, {{"previous_response_id", first}});
    awaitOpenStream(harness);
    expectCutWithGoingAway(harness, *socket);
    std::size_t upgrades = 0;
    for (const auto& record : harness.recorded()) {
        upgrades += record.status == 101 ? 1 : 0;
    }
    EXPECT_EQ(upgrades, 2U) << "the second turn went to a replacement socket";
}

}  // namespace
}  // namespace sluice::integration
