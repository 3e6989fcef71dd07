// Websocket frames the gateway must not wait on or pass along (issue 22): a client that sends
// half a message is closed with 1008 once server.websocket_message_timeout passes, and an
// upstream frame breaking RFC 6455 ends the client's turn with a typed error and close 1011,
// never a crash or a relayed frame. Observed from the sockets only.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/integration/gateway_harness.hpp"
#include "tests/integration/websocket_raw_client.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kText = 0x1;
constexpr std::uint8_t kPing = 0x9;
constexpr auto kBound = std::chrono::seconds(5);
const std::string kCreate =
    R"({"type":"response.create","model":"gpt-5.5","input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]})";

HarnessOptions acceptingEmulator(const std::string& server_yaml) {
    HarnessOptions o;
    o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a, websocket: accept }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.server_yaml = server_yaml;
    return o;
}

// Half a message, then nothing: the close must come once the message timeout passes.
void expectClosedWith1008(GatewayHarness& harness, const std::string& half_message) {
    RawWebSocketClient client(harness.port());
    ASSERT_EQ(client.upgrade(RawWebSocketClient::validHeaders(harness.key())), 101);
    const auto started = std::chrono::steady_clock::now();
    client.sendBytes(half_message);
    const RawWebSocketClient::Frame close = client.receiveUntilClose();
    EXPECT_EQ(close.closeCode(), Poco::Net::WebSocket::WS_POLICY_VIOLATION);
    EXPECT_NE(close.payload.find("not complete"), std::string::npos) << close.payload;
    EXPECT_LT(std::chrono::steady_clock::now() - started, kBound);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].error_code, "message_timeout");
}

// A masked frame as a client sends it (mask 0: the payload bytes are unchanged).
std::string maskedFrame(std::uint8_t first_byte, std::uint8_t length, const std::string& payload) {
    return std::string{
               static_cast<char>(first_byte), static_cast<char>(0x80 | length), 0, 0, 0, 0} +
           payload;
}

TEST(WebSocketFrameLimitsTest, AFirstFragmentWithoutTheRestIsClosedWith1008) {
    GatewayHarness harness(acceptingEmulator("websocket_message_timeout: 500ms"));
    expectClosedWith1008(harness, maskedFrame(kText, 9, R"({"type":")"));
}

TEST(WebSocketFrameLimitsTest, AFrameCutShortIsClosedWith1008) {
    GatewayHarness harness(acceptingEmulator("websocket_message_timeout: 500ms"));
    expectClosedWith1008(harness, maskedFrame(kFin | kText, 100, R"({"type":")"));
}

TEST(WebSocketFrameLimitsTest, FragmentsTrickledUnderTheTimeoutStillCountAsOneMessage) {
    GatewayHarness harness(acceptingEmulator("websocket_message_timeout: 800ms"));
    RawWebSocketClient client(harness.port());
    ASSERT_EQ(client.upgrade(RawWebSocketClient::validHeaders(harness.key())), 101);
    const auto started = std::chrono::steady_clock::now();
    client.sendFrame(kText, "{");
    RawWebSocketClient::Frame close;
    try {
        for (int i = 0; i < 8; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            client.sendFrame(0x0, " ");
        }
    } catch (const Poco::Exception&) {
        // The gateway closed the socket while fragments were still coming.
    }
    close = client.receiveUntilClose();
    EXPECT_EQ(close.closeCode(), Poco::Net::WebSocket::WS_POLICY_VIOLATION);
    EXPECT_LT(std::chrono::steady_clock::now() - started, kBound);
}

TEST(WebSocketFrameLimitsTest, AnUnreadableTimeoutIsAConfigIssueAtItsPath) {
    GatewayHarness harness(acceptingEmulator(""));
    HarnessOptions bad = acceptingEmulator("websocket_message_timeout: soon");
    const auto issues = harness.reload(bad);
    ASSERT_FALSE(issues.empty());
    EXPECT_NE(issues.front().describe().find("server.websocket_message_timeout"), std::string::npos)
        << issues.front().describe();
}

// An upstream that accepts the upgrade, waits for the client's first message and answers it
// with `reply` as raw bytes, then holds the connection until the gateway drops it.
class ScriptedUpstream final {
public:
    explicit ScriptedUpstream(std::string reply)
        : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          thread_([this, reply = std::move(reply)] { serve(reply); }) {}
    ~ScriptedUpstream() {
        listener_.close();
        thread_.join();
    }
    std::string baseUrl() const {
        return "http://127.0.0.1:" + std::to_string(listener_.address().port());
    }

private:
    // Poco computes Sec-WebSocket-Accept only for WebSocket and its subclasses.
    struct Accept final : Poco::Net::WebSocket {
        static std::string of(const std::string& key) { return computeAccept(key); }
    };

    void serve(const std::string& reply) {
        try {
            Poco::Net::StreamSocket socket = listener_.acceptConnection();
            socket.setReceiveTimeout(Poco::Timespan(10, 0));
            std::string head;
            char c = 0;
            while (head.find("\r\n\r\n") == std::string::npos && socket.receiveBytes(&c, 1) == 1) {
                head.push_back(c);
            }
            const auto at = head.find("Sec-WebSocket-Key: ") + 19;
            const std::string key = head.substr(at, head.find("\r\n", at) - at);
            const std::string answer =
                "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                "Sec-WebSocket-Accept: " +
                Accept::of(key) + "\r\n\r\n";
            socket.sendBytes(answer.data(), static_cast<int>(answer.size()));
            char block[4096];
            socket.receiveBytes(block, sizeof block);  // the client's turn
            socket.sendBytes(reply.data(), static_cast<int>(reply.size()));
            while (socket.receiveBytes(block, sizeof block) > 0) {
            }
        } catch (const Poco::Exception&) {
            // The listener closed, or the gateway dropped the connection: done either way.
        }
    }

    Poco::Net::ServerSocket listener_;
    std::thread thread_;
};

struct BadUpstreamFrame {
    const char* name;
    std::string bytes;
};

void PrintTo(const BadUpstreamFrame& frame, std::ostream* out) {
    *out << frame.name;
}

std::string serverFrame(std::uint8_t first_byte, const std::string& payload) {
    return std::string{static_cast<char>(first_byte), static_cast<char>(payload.size())} + payload;
}

class UpstreamFrameTest : public ::testing::TestWithParam<BadUpstreamFrame> {};

TEST_P(UpstreamFrameTest, EndsTheClientTurnWithATypedErrorAndClose1011) {
    ScriptedUpstream upstream(GetParam().bytes);
    HarnessOptions o = acceptingEmulator("");
    o.chatgpt_base_url = upstream.baseUrl();
    GatewayHarness harness(o);
    RawWebSocketClient client(harness.port());
    ASSERT_EQ(client.upgrade(RawWebSocketClient::validHeaders(harness.key())), 101);
    client.sendFrame(kFin | kText, kCreate);
    RawWebSocketClient::Frame frame = client.receiveFrame();
    ASSERT_EQ(frame.opcode, kText) << "the bad frame is never relayed: " << frame.payload;
    const json event = json::parse(frame.payload);
    EXPECT_EQ(event["type"], "error");
    EXPECT_EQ(event["error"]["code"], "upstream_protocol_error");
    EXPECT_EQ(client.receiveUntilClose().closeCode(),
              Poco::Net::WebSocket::WS_UNEXPECTED_CONDITION);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].error_code, "upstream_protocol_error");
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
}

INSTANTIATE_TEST_SUITE_P(
    Rfc6455, UpstreamFrameTest,
    ::testing::Values(BadUpstreamFrame{"masked", std::string{'\x81', '\x82', 0, 0, 0, 0} + "{}"},
                      BadUpstreamFrame{"rsv1", serverFrame(kFin | 0x40 | kText, "{}")},
                      BadUpstreamFrame{"unknown_opcode", serverFrame(kFin | 0x3, "{}")},
                      BadUpstreamFrame{"fragmented_ping", serverFrame(kPing, "p")},
                      BadUpstreamFrame{"long_ping", std::string{'\x89', '\x7e', 0, '\x7e'} +
                                                        std::string(126, 'p')},
                      BadUpstreamFrame{"continuation_first", serverFrame(kFin | 0x0, "{}")}),
    [](const ::testing::TestParamInfo<BadUpstreamFrame>& info) {
        return std::string(info.param.name);
    });

}  // namespace
}  // namespace sluice::integration
