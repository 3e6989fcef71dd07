// The Responses websocket as it drifted after 0.169 (codex-protocol §12): no quota headers on
// the 101 (codex.rate_limits is the live signal), turn state in frames, response.processed and
// response.interrupt frames, upstream sockets capped in age and replaced unseen, and prewarm
// sockets. Against the emulator, on 127.0.0.1.
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;
using Poco::Net::WebSocket;

/// One client websocket to the gateway's Codex surface.
class Client {
public:
    Client(GatewayHarness& harness, const std::string& session_id)
        : session_("127.0.0.1", harness.port()) {
        Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET,
                                       "/backend-api/codex/responses",
                                       Poco::Net::HTTPMessage::HTTP_1_1);
        request.set("Authorization", "Bearer " + harness.key());
        request.set("OpenAI-Beta", "responses_websockets=2026-02-06");
        request.set("session-id", session_id);
        socket_ = std::make_unique<WebSocket>(session_, request, response_);
        socket_->setReceiveTimeout(Poco::Timespan(10, 0));
    }

    void send(const json& frame) {
        const std::string text = frame.dump();
        socket_->sendFrame(text.data(), static_cast<int>(text.size()), WebSocket::FRAME_TEXT);
    }

    /// Events up to the end of one response; every error frame read on the way is kept.
    std::vector<json> response() {
        std::vector<json> events;
        while (true) {
            Poco::Buffer<char> buffer(0);
            int flags = 0;
            if (socket_->receiveFrame(buffer, flags) <= 0) {
                return events;
            }
            events.push_back(json::parse(std::string(buffer.begin(), buffer.size())));
            const std::string type = events.back().value("type", "");
            if (type == "response.completed" || type == "error" || type == "response.failed") {
                return events;
            }
        }
    }

    /// Sends a response.create and returns the completed response's id ("" on anything else).
    std::string turn(json input, const std::string& previous = "", json extra = json::object()) {
        json frame{{"type", "response.create"}, {"model", "gpt-5.5"}, {"input", std::move(input)}};
        if (!previous.empty()) {
            frame["previous_response_id"] = previous;
        }
        frame.update(extra);
        send(frame);
        last_ = response();
        if (last_.empty() || last_.back().value("type", "") != "response.completed") {
            return "";
        }
        return last_.back()["response"]["id"].get<std::string>();
    }

    const std::vector<json>& last() const { return last_; }
    const Poco::Net::HTTPResponse& upgrade() const { return response_; }

private:
    Poco::Net::HTTPClientSession session_;
    Poco::Net::HTTPResponse response_;
    std::unique_ptr<WebSocket> socket_;
    std::vector<json> last_;
};

json userInput(const std::string& text) {
    return json::array({{{"type", "message"},
                         {"role", "user"},
                         {"content", {{{"type", "input_text"}, {"text", text}}}}}});
}

HarnessOptions options(const std::string& account_extra, const std::string& server = "") {
    HarnessOptions o;
    o.emulator_script = server + "accounts:\n" +
                        "  - { id: acct-a, access_token: tok-a, websocket: accept" + account_extra +
                        " }\n" + "  - { id: acct-b, access_token: tok-b, websocket: accept" +
                        account_extra + " }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    return o;
}

std::vector<emulator::RecordedRequest> frames(GatewayHarness& harness) {
    std::vector<emulator::RecordedRequest> out;
    for (auto& record : harness.recorded()) {
        if (record.method == "WS") {
            out.push_back(std::move(record));
        }
    }
    return out;
}

std::vector<emulator::RecordedRequest> upgrades(GatewayHarness& harness) {
    std::vector<emulator::RecordedRequest> out;
    for (auto& record : harness.recorded()) {
        if (record.status == 101) {
            out.push_back(std::move(record));
        }
    }
    return out;
}

std::string headerOf(const emulator::RecordedRequest& record, const std::string& name) {
    for (const auto& [key, value] : record.headers) {
        if (key == name) {
            return value;
        }
    }
    return "";
}

TEST(CodexDriftWebSocketTest, CodexRateLimitsIsTheLiveQuotaSignalWhenThe101CarriesNone) {
    // The only account reports its 5 h window used up, in the stream only.
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - id: acct-a\n"
        "    access_token: tok-a\n"
        "    websocket: accept\n"
        "    rate_limits:\n"
        "      primary: { used_percent: 100, window_minutes: 300, reset_in: 1h }\n"
        "      on_upgrade: false\n"
        "      stream_event: true\n";
    o.accounts = {{"acct-a", "tok-a"}};
    GatewayHarness harness(o);
    Client first(harness, "thread-1");
    EXPECT_FALSE(first.upgrade().has("x-codex-primary-used-percent"));
    ASSERT_FALSE(first.turn(userInput("hi")).empty());
    // Known exhausted from the event alone: the next socket is refused as the backend would.
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + harness.key());
    Poco::Net::HTTPResponse response;
    EXPECT_THROW(WebSocket(session, request, response), Poco::Net::WebSocketException);
    EXPECT_EQ(response.getStatus(), 429);
    // When the account is tried again: its reset, or before that when the evidence goes stale.
    EXPECT_GT(std::stol(response.get("Retry-After", "0")), 0);
}

TEST(CodexDriftWebSocketTest, ProcessedAndInterruptFramesAreForwarded) {
    GatewayHarness harness(options(""));
    Client client(harness, "thread-1");
    const std::string id = client.turn(userInput("hi"));
    ASSERT_FALSE(id.empty());
    client.send({{"type", "response.processed"}, {"response_id", id}});
    client.send({{"type", "response.interrupt"}, {"response_id", id}});
    ASSERT_FALSE(client.turn(userInput("more"), id).empty());
    const auto sent = frames(harness);
    ASSERT_EQ(sent.size(), 4u);
    EXPECT_EQ(sent[1].outcome, "processed");
    EXPECT_EQ(sent[2].outcome, "interrupt");
    EXPECT_EQ(sent[3].previous_response_id, id);
}

TEST(CodexDriftWebSocketTest, AgedUpstreamSocketsAreReplacedWithoutTheClientNoticing) {
    // The emulator ends sockets at 3 s, idle or not; the gateway replaces them after 400 ms. The
    // margin covers a turn and the 600 ms pause even under ThreadSanitizer (1.5 s did not).
    HarnessOptions o = options(", turn_state: frames", "server: { websocket_max_age: 3s }\n");
    o.upstream_yaml = "websocket_max_age: 400ms";
    GatewayHarness harness(o);
    Client client(harness, "thread-1");
    const json metadata{{"client_metadata", {{"x-codex-turn-state", "ts-1"}}}};
    std::string previous = client.turn(userInput("instructions"), "", {{"generate", false}});
    ASSERT_FALSE(previous.empty());
    for (int turn = 0; turn < 3; ++turn) {
        std::this_thread::sleep_for(std::chrono::milliseconds(600));
        previous = client.turn(userInput("turn " + std::to_string(turn)), previous, metadata);
        ASSERT_FALSE(previous.empty()) << client.last().back().dump();
    }
    const auto opened = upgrades(harness);
    ASSERT_EQ(opened.size(), 4u);  // the first socket and three replacements, all one account
    for (std::size_t i = 1; i < opened.size(); ++i) {
        EXPECT_EQ(opened[i].account_id, opened[0].account_id);
        EXPECT_EQ(headerOf(opened[i], "x-codex-turn-state"), "ts-1");
    }
    // Each replacement got the history in place of a reference it could not know.
    const auto sent = frames(harness);
    ASSERT_EQ(sent.size(), 4u);
    for (std::size_t i = 1; i < sent.size(); ++i) {
        EXPECT_FALSE(sent[i].previous_response_id) << i;
        EXPECT_EQ(*sent[i].input_items, 2 * i) << i;  // every input so far and every answer
    }
}

TEST(CodexDriftWebSocketTest, APrewarmSocketIsARealRequestOnTheSessionsAccount) {
    GatewayHarness harness(options(""));
    Client main(harness, "thread-9");
    ASSERT_FALSE(main.turn(userInput("hi")).empty());
    const std::string account = frames(harness).back().account_id;
    // The newer client's second socket: the whole turn, request_kind prewarm, generate false.
    for (int i = 0; i < 2; ++i) {
        Client prewarm(harness, "thread-9");
        const std::string id = prewarm.turn(
            userInput("the whole turn"), "",
            {{"generate", false},
             {"client_metadata", {{"x-codex-turn-metadata", R"({"request_kind":"prewarm"})"}}}});
        ASSERT_EQ(id.rfind("resp_emu", 0), 0u) << "answered by the upstream: " << id;
        const auto recorded = frames(harness).back();
        EXPECT_EQ(recorded.account_id, account);
        EXPECT_EQ(recorded.request_kind, "prewarm");
        EXPECT_EQ(recorded.generate, false);
    }
}

}  // namespace
}  // namespace sluice::integration
