#include "core/dispatch/websocket_handshake.hpp"

#include <gtest/gtest.h>

namespace sluice::core::dispatch {
namespace {

const sdk::Headers kValid{{"Host", "x"},
                          {"Connection", "keep-alive, Upgrade"},
                          {"Upgrade", "websocket"},
                          {"Sec-WebSocket-Version", "13"},
                          {"Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="}};

sdk::Headers without(std::string_view name) {
    sdk::Headers headers;
    for (const sdk::Header& header : kValid) {
        if (!sdk::equalsIgnoreCase(header.name, name)) {
            headers.push_back(header);
        }
    }
    return headers;
}

TEST(WebSocketHandshake, AValidUpgradePassesAndIsAnsweredWithTheRfcAcceptKey) {
    const ClientHandshake handshake{"GET", 11, kValid, false};
    EXPECT_FALSE(checkClientHandshake(handshake));
    const sdk::Headers answer = acceptFields(handshake);
    // RFC 6455 §1.3's worked example.
    EXPECT_EQ(sdk::findHeader(answer, "Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    EXPECT_EQ(sdk::findHeader(answer, "Upgrade"), "websocket");
}

TEST(WebSocketHandshake, EachBrokenRuleGetsATyped400NamingIt) {
    const sdk::Headers no_connection = without("Connection");
    const sdk::Headers no_upgrade = without("Upgrade");
    const sdk::Headers no_version = without("Sec-WebSocket-Version");
    sdk::Headers short_key = without("Sec-WebSocket-Key");
    short_key.push_back({"Sec-WebSocket-Key", "c2hvcnQ="});
    const std::vector<std::pair<ClientHandshake, std::string>> cases{
        {{"POST", 11, kValid, false}, "GET"},
        {{"GET", 10, kValid, false}, "HTTP/1.1"},
        {{"GET", 11, no_connection, false}, "Connection"},
        {{"GET", 11, no_upgrade, false}, "Upgrade"},
        {{"GET", 11, no_version, false}, "Version"},
        {{"GET", 11, short_key, false}, "16 bytes"},
        {{"GET", 11, kValid, true}, "wait for the upgrade's answer"},
    };
    for (const auto& [handshake, names] : cases) {
        const auto refusal = checkClientHandshake(handshake);
        ASSERT_TRUE(refusal) << names;
        EXPECT_EQ(refusal->http_status, 400);
        EXPECT_EQ(refusal->code, "invalid_upgrade");
        EXPECT_NE(refusal->message.find(names), std::string::npos) << refusal->message;
    }
}

}  // namespace
}  // namespace sluice::core::dispatch
