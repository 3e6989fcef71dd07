// Websocket abuse from issue 22: oversized messages, keys that stop being valid, bad handshakes
// and frames breaking RFC 6455 each end in a typed answer or close code, and a bad handshake
// costs no upstream socket.
#include <Poco/Buffer.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>
#include <gtest/gtest.h>

#include "core/auth/credential_token.hpp"
#include "core/control/credential_service.hpp"
#include "tests/integration/gateway_harness.hpp"
#include "tests/integration/websocket_raw_client.hpp"

namespace sluice::integration {
namespace {

using Poco::Net::WebSocket;

constexpr std::uint8_t kFin = 0x80;
constexpr std::uint8_t kText = 0x1;
constexpr std::uint8_t kPing = 0x9;
const std::string kPrewarm =
    R"({"type":"response.create","model":"gpt-5.5","generate":false,"input":[]})";

HarnessOptions oneAccount(const std::string& server_yaml = "") {
    HarnessOptions o;
    o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a, websocket: accept }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.server_yaml = server_yaml;
    return o;
}

// Upstream websocket requests the emulator saw: "GET" upgrades or "WS" turns.
std::size_t seenUpstream(GatewayHarness& harness, const std::string& method) {
    std::size_t seen = 0;
    for (const auto& recorded : harness.recorded()) {
        seen += recorded.transport == "websocket" && recorded.method == method ? 1 : 0;
    }
    return seen;
}

std::unique_ptr<WebSocket> connect(GatewayHarness& harness, Poco::Net::HTTPClientSession& session) {
    Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_GET, "/backend-api/codex/responses",
                                   Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Authorization", "Bearer " + harness.key());
    Poco::Net::HTTPResponse response;
    auto socket = std::make_unique<WebSocket>(session, request, response);
    socket->setReceiveTimeout(Poco::Timespan(5, 0));
    return socket;
}

// Frames until a close frame: its status code, or 0 when the socket ended (or timed out) first.
// `texts` collects the text frames read on the way.
int closeCodeAfter(WebSocket& socket, std::vector<std::string>* texts = nullptr) {
    try {
        while (true) {
            Poco::Buffer<char> buffer(0);
            int flags = 0;
            const int n = socket.receiveFrame(buffer, flags);
            if (n <= 0 && flags == 0) {
                return 0;
            }
            if ((flags & WebSocket::FRAME_OP_BITMASK) == WebSocket::FRAME_OP_CLOSE) {
                return buffer.size() >= 2 ? (static_cast<unsigned char>(buffer[0]) << 8) |
                                                static_cast<unsigned char>(buffer[1])
                                          : 0;
            }
            if (texts != nullptr) {
                texts->emplace_back(buffer.begin(), buffer.size());
            }
        }
    } catch (const Poco::Exception&) {
        return 0;
    }
}

void sendText(WebSocket& socket, const std::string& text, int flags = WebSocket::FRAME_TEXT) {
    socket.sendFrame(text.data(), static_cast<int>(text.size()), flags);
}

void setHarnessKeyStatus(GatewayHarness& harness, sdk::CredentialStatus status) {
    const auto token = core::auth::parseToken(harness.key());
    ASSERT_TRUE(token);
    ASSERT_TRUE(core::control::CredentialService(harness.control())
                    .setKeyStatus(token->prefix, status, "test")
                    .ok());
}

TEST(GatewayWebSocketHardeningTest, FragmentsPastTheMessageCapCloseWith1009) {
    GatewayHarness harness(oneAccount("max_websocket_message: 64KiB"));
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    auto socket = connect(harness, session);
    const std::string fragment(16 * 1024, 'x');
    sendText(*socket, fragment, WebSocket::FRAME_OP_TEXT);
    // The fifth fragment crosses the cap; nothing is sent after it, so the close cannot race a
    // send into a socket the gateway has already closed.
    for (int i = 0; i < 4; ++i) {
        sendText(*socket, fragment, WebSocket::FRAME_OP_CONT);
    }
    EXPECT_EQ(closeCodeAfter(*socket), 1009);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].error_code, "message_too_big");
}

TEST(GatewayWebSocketHardeningTest, OneFramePastTheMessageCapClosesWith1009) {
    GatewayHarness harness(oneAccount("max_websocket_message: 64KiB"));
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    auto socket = connect(harness, session);
    sendText(*socket, std::string(65 * 1024, 'x'));
    EXPECT_EQ(closeCodeAfter(*socket), 1009);
}

TEST(GatewayWebSocketHardeningTest, FragmentedTurnUnderTheCapIsRelayedWhole) {
    GatewayHarness harness(oneAccount("max_websocket_message: 64KiB"));
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    auto socket = connect(harness, session);
    const std::size_t half = kPrewarm.size() / 2;
    sendText(*socket, kPrewarm.substr(0, half), WebSocket::FRAME_OP_TEXT);
    sendText(*socket, kPrewarm.substr(half),
             static_cast<int>(WebSocket::FRAME_FLAG_FIN) | WebSocket::FRAME_OP_CONT);
    Poco::Buffer<char> buffer(0);
    std::string last;
    while (last.find("response.completed") == std::string::npos) {
        buffer.resize(0);
        int flags = 0;
        ASSERT_GT(socket->receiveFrame(buffer, flags), 0);
        last.assign(buffer.begin(), buffer.size());
    }
}

TEST(GatewayWebSocketHardeningTest, MessageCapOutsideItsBoundsIsAConfigIssue) {
    GatewayHarness harness(oneAccount());
    HarnessOptions options = oneAccount("max_websocket_message: 2GiB");
    const auto issues = harness.reload(options);
    ASSERT_FALSE(issues.empty());
    EXPECT_NE(issues.front().message.find("between"), std::string::npos);
}

TEST(GatewayWebSocketHardeningTest, RevokedKeyLosesItsOpenSocketWithATypedError) {
    GatewayHarness harness(oneAccount());
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    auto socket = connect(harness, session);
    sendText(*socket, kPrewarm);
    std::vector<std::string> texts;
    Poco::Buffer<char> buffer(0);
    int flags = 0;
    ASSERT_GT(socket->receiveFrame(buffer, flags), 0);  // the turn runs: the key was fine
    setHarnessKeyStatus(harness, sdk::CredentialStatus::Revoked);
    EXPECT_EQ(closeCodeAfter(*socket, &texts), 1008);
    ASSERT_FALSE(texts.empty());
    EXPECT_NE(texts.back().find(R"("type":"error")"), std::string::npos);
    EXPECT_NE(texts.back().find("invalid_api_key"), std::string::npos);
    EXPECT_NE(texts.back().find("revoked"), std::string::npos);
}

TEST(GatewayWebSocketHardeningTest, PausedKeyGetsNoFurtherTurn) {
    GatewayHarness harness(oneAccount());
    Poco::Net::HTTPClientSession session("127.0.0.1", harness.port());
    auto socket = connect(harness, session);
    setHarnessKeyStatus(harness, sdk::CredentialStatus::Paused);
    try {
        sendText(*socket, kPrewarm);
    } catch (const Poco::Exception&) {
        // The gateway may have closed the socket already.
    }
    std::vector<std::string> texts;
    EXPECT_EQ(closeCodeAfter(*socket, &texts), 1008);
    ASSERT_FALSE(texts.empty());
    EXPECT_NE(texts.back().find("paused"), std::string::npos);
    EXPECT_EQ(seenUpstream(harness, "WS"), 0U);
}

TEST(GatewayWebSocketHardeningTest, MalformedKeysAre400BeforeAnyUpstreamSocket) {
    GatewayHarness harness(oneAccount());
    const std::string base =
        "Authorization: Bearer " + harness.key() +
        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n";
    for (const std::string_view key :
         {"abc", "AAAAAAAAAAAAAAAAAAAA", "!!!!!!!!!!!!!!!!!!!!!!==", "dGhlIHNhbXBsZSBub25jZQ"}) {
        RawWebSocketClient client(harness.port());
        EXPECT_EQ(client.upgrade(base + "Sec-WebSocket-Key: " + std::string(key) + "\r\n"), 400)
            << key;
    }
    RawWebSocketClient wrong_version(harness.port());
    EXPECT_EQ(wrong_version.upgrade(
                  "Authorization: Bearer " + harness.key() +
                  "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\n"
                  "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"),
              400);
    EXPECT_EQ(seenUpstream(harness, "GET"), 0U);
    const auto logs = harness.requestLogsAtLeast(5);
    ASSERT_EQ(logs.size(), 5U);
    EXPECT_EQ(logs[0].error_code, "invalid_upgrade");
}

TEST(GatewayWebSocketHardeningTest, UnreachableUpstreamIsA502WithNetworkError) {
    GatewayHarness harness(oneAccount());
    harness.upstream().stop();
    RawWebSocketClient client(harness.port());
    EXPECT_EQ(client.upgrade(RawWebSocketClient::validHeaders(harness.key())), 502);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].error_code, "network_error");
    EXPECT_NE(logs[0].routing_json.find("network_error"), std::string::npos);
    EXPECT_EQ(logs[0].routing_json.find("upstream_200"), std::string::npos);
}

struct BadFrame {
    const char* name;
    std::uint8_t first_byte;
    std::string payload;
    bool masked;
};

void PrintTo(const BadFrame& frame, std::ostream* out) {
    *out << frame.name;
}

class GatewayWebSocketFrameTest : public ::testing::TestWithParam<BadFrame> {};

TEST_P(GatewayWebSocketFrameTest, FrameBreakingRfc6455ClosesWith1002) {
    GatewayHarness harness(oneAccount());
    RawWebSocketClient client(harness.port());
    ASSERT_EQ(client.upgrade(RawWebSocketClient::validHeaders(harness.key())), 101);
    client.sendFrame(GetParam().first_byte, GetParam().payload, GetParam().masked);
    EXPECT_EQ(client.receiveUntilClose().closeCode(), 1002);
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_EQ(logs.size(), 1U);
    EXPECT_EQ(logs[0].error_code, "protocol_error");
}

INSTANTIATE_TEST_SUITE_P(
    Rfc6455, GatewayWebSocketFrameTest,
    ::testing::Values(BadFrame{"unmasked", kFin | kText, kPrewarm, false},
                      BadFrame{"rsv1", kFin | 0x40 | kText, kPrewarm, true},
                      BadFrame{"rsv3", kFin | 0x10 | kText, kPrewarm, true},
                      BadFrame{"fragmented_ping", kPing, "hi", true},
                      BadFrame{"long_ping", kFin | kPing, std::string(126, 'p'), true},
                      BadFrame{"unknown_opcode", kFin | 0x3, "x", true},
                      BadFrame{"continuation_first", kFin | 0x0, kPrewarm, true}),
    [](const ::testing::TestParamInfo<BadFrame>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sluice::integration
