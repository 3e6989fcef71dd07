#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <memory>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

using Poco::Net::WebSocket;

constexpr const char* kScript = R"(
accounts:
  - id: acct-ws
    access_token: tok-ws
    websocket: accept
    rate_limits: { primary: { used_percent: 7, window_minutes: 300, reset_in: 1h } }
    behaviour: { deltas: 2, text: "ws answer" }
  - id: acct-http
    access_token: tok-http
)";

/// A websocket client connection as Codex opens it (§4).
class WsClient {
public:
    WsClient(std::uint16_t port, const std::string& account, const std::string& token)
        : session_("127.0.0.1", port) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                       "/backend-api/codex/responses",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + token);
        request.set("chatgpt-account-id", account);
        request.set("OpenAI-Beta", "responses_websockets=2026-02-06");
        request.set("originator", "codex_exec");
        socket_ = std::make_unique<WebSocket>(session_, request, response_);
        socket_->setReceiveTimeout(Poco::Timespan(10, 0));
    }

    void send(const nlohmann::json& message) {
        const auto text = message.dump();
        socket_->sendFrame(text.data(), static_cast<int>(text.size()), WebSocket::FRAME_TEXT);
    }

    nlohmann::json receive() {
        Poco::Buffer<char> buffer(0);
        int flags = 0;
        const int n = socket_->receiveFrame(buffer, flags);
        return nlohmann::json::parse(std::string(buffer.begin(), static_cast<std::size_t>(n)));
    }

    /// Frames up to and including response.completed (or a single error frame).
    std::vector<nlohmann::json> receiveResponse() {
        std::vector<nlohmann::json> events;
        for (;;) {
            events.push_back(receive());
            const auto type = events.back().value("type", "");
            if (type == "response.completed" || type == "error" || type == "response.failed") {
                return events;
            }
        }
    }

    const Poco::Net::HTTPResponse& upgrade() const { return response_; }

private:
    Poco::Net::HTTPClientSession session_;
    Poco::Net::HTTPResponse response_;
    std::unique_ptr<WebSocket> socket_;
};

nlohmann::json create(nlohmann::json input, bool generate = true,
                      std::optional<std::string> previous = std::nullopt) {
    nlohmann::json message = {
        {"type", "response.create"}, {"model", "gpt-5.5"}, {"stream", true},
        {"input", std::move(input)}, {"store", false},     {"generate", generate}};
    if (previous)
        message["previous_response_id"] = *previous;
    return message;
}

nlohmann::json userMessage(const std::string& text) {
    return {{"type", "message"},
            {"role", "user"},
            {"content", {{{"type", "input_text"}, {"text", text}}}}};
}

class WebSocketTest : public EmulatorTest {};

TEST_F(WebSocketTest, PrewarmThenIncrementalTurnOnOneConnection) {
    startWith(kScript);
    WsClient client(server_->port(), "acct-ws", "tok-ws");
    EXPECT_EQ(client.upgrade().get("x-codex-primary-used-percent"), "7");

    client.send(create({userMessage("instructions")}, false));
    const auto prewarm = client.receiveResponse();
    ASSERT_EQ(eventTypes(prewarm),
              (std::vector<std::string>{"response.created", "response.completed"}));
    EXPECT_TRUE(prewarm[1]["response"]["output"].empty());
    const auto prewarm_id = prewarm[1]["response"]["id"].get<std::string>();

    client.send(create({userMessage("env"), userMessage("hello")}, true, prewarm_id));
    const auto turn = client.receiveResponse();
    ASSERT_EQ(turn.size(), 10u);
    EXPECT_EQ(turn.back()["response"]["output"][0]["content"][0]["text"], "ws answer");

    const auto records = recorded("acct-ws");
    ASSERT_EQ(records.size(), 3u);  // the upgrade, then one per response.create
    EXPECT_EQ(records[0]["status"], 101);
    EXPECT_EQ(records[0]["headers"]["openai-beta"], "responses_websockets=2026-02-06");
    EXPECT_EQ(records[1]["generate"], false);
    EXPECT_EQ(records[1]["history_items"], 1);
    EXPECT_EQ(records[2]["previous_response_id"], prewarm_id);
    EXPECT_EQ(records[2]["input_items"], 2);
    EXPECT_EQ(records[2]["history_items"], 3);
    EXPECT_EQ(records[2]["transport"], "websocket");
}

TEST_F(WebSocketTest, UnknownPreviousResponseIdIsAnErrorFrame) {
    startWith(kScript);
    WsClient client(server_->port(), "acct-ws", "tok-ws");
    client.send(create({userMessage("hello")}, true, std::string("resp_elsewhere")));
    const auto error = client.receive();
    EXPECT_EQ(error["type"], "error");
    EXPECT_EQ(error["status"], 400);
    EXPECT_EQ(error["error"]["code"], "previous_response_not_found");
}

TEST_F(WebSocketTest, FailureModesBecomeErrorFramesWithHeaders) {
    startWith(kScript);
    ASSERT_EQ(control("POST", "accounts/acct-ws/faults", R"({"mode":"usage_limit"})").status, 200);
    WsClient client(server_->port(), "acct-ws", "tok-ws");
    client.send(create({userMessage("hello")}));
    const auto error = client.receive();
    EXPECT_EQ(error["type"], "error");
    EXPECT_EQ(error["status"], 429);
    EXPECT_EQ(error["error"]["type"], "usage_limit_reached");
    EXPECT_EQ(error["headers"]["x-codex-primary-used-percent"], "7");
    // The fault was one-shot: the same connection answers normally next.
    client.send(create({userMessage("again")}));
    EXPECT_EQ(client.receiveResponse().back()["type"], "response.completed");
}

constexpr const char* kDriftScript = R"(
server: { websocket_max_age: 400ms }
accounts:
  - id: acct-ws
    access_token: tok-ws
    websocket: accept
    turn_state: frames
    rate_limits: { primary: { used_percent: 7, window_minutes: 300, reset_in: 1h }, on_upgrade: false }
    behaviour: { deltas: 1 }
)";

TEST_F(WebSocketTest, DriftFormSendsTurnStateInFramesAndNoHeadersOnTheUpgrade) {
    startWith(kDriftScript);
    WsClient client(server_->port(), "acct-ws", "tok-ws");
    EXPECT_FALSE(client.upgrade().has("x-codex-primary-used-percent"));
    EXPECT_FALSE(client.upgrade().has("x-codex-turn-state"));

    auto first = create({userMessage("hello")});
    first["client_metadata"] = {{"x-codex-turn-state", "ts-client"},
                                {"x-codex-turn-metadata", R"({"request_kind":"prewarm"})"}};
    client.send(first);
    const auto events = client.receiveResponse();
    ASSERT_GE(events.size(), 2u);
    EXPECT_EQ(events[0]["type"], "response.metadata");
    EXPECT_EQ(events[0]["metadata"]["x-codex-turn-state"], "ts-client");

    client.send({{"type", "response.processed"}, {"response_id", "x"}});
    client.send({{"type", "response.interrupt"}, {"response_id", "x"}});
    client.send(create({userMessage("again")}));
    EXPECT_EQ(client.receiveResponse().back()["type"], "response.completed");

    const auto records = recorded("acct-ws");
    ASSERT_EQ(records.size(), 5u);
    EXPECT_EQ(records[1]["turn_state"], "ts-client");
    EXPECT_EQ(records[1]["request_kind"], "prewarm");
    EXPECT_EQ(records[2]["outcome"], "processed");
    EXPECT_EQ(records[3]["outcome"], "interrupt");
    EXPECT_TRUE(records[4]["turn_state"].is_null());
}

TEST_F(WebSocketTest, ConnectionsEndAtTheConfiguredMaxAge) {
    startWith(kDriftScript);
    WsClient client(server_->port(), "acct-ws", "tok-ws");
    const auto error = client.receive();  // unprompted, once the age has passed
    EXPECT_EQ(error["type"], "error");
    EXPECT_EQ(error["error"]["code"], "websocket_connection_limit_reached");
}

TEST_F(WebSocketTest, RefusingAccountAnswers426) {
    startWith(kScript);
    HttpCall request{"GET", "/backend-api/codex/responses"};
    request.headers = {{"Authorization", "Bearer tok-http"},
                       {"chatgpt-account-id", "acct-http"},
                       {"Connection", "Upgrade"},
                       {"Upgrade", "websocket"},
                       {"Sec-WebSocket-Version", "13"},
                       {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};
    const auto reply = call(request);
    EXPECT_EQ(reply.status, 426);
    EXPECT_EQ(reply.json()["error"]["code"], "websocket_not_supported");
}

TEST_F(WebSocketTest, UnknownAccountCannotUpgrade) {
    startWith(kScript);
    EXPECT_THROW(WsClient(server_->port(), "acct-ws", "tok-wrong"), Poco::Net::WebSocketException);
}

}  // namespace
}  // namespace sluice::emulator::testing
