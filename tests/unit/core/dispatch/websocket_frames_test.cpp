#include "core/dispatch/websocket_frames.hpp"

#include <gtest/gtest.h>

namespace sluice::core::dispatch {
namespace {

using Poco::Net::WebSocket;

constexpr int kFin = WebSocket::FRAME_FLAG_FIN;

TEST(FrameFaultTest, AcceptsMaskedClientDataAndShortControlFrames) {
    EXPECT_FALSE(frameFault(FrameSender::Client, {kFin | WebSocket::FRAME_OP_TEXT, true, 1 << 20}));
    EXPECT_FALSE(frameFault(FrameSender::Client, {WebSocket::FRAME_OP_BINARY, true, 10}));
    EXPECT_FALSE(frameFault(FrameSender::Client, {WebSocket::FRAME_OP_CONT, true, 10}));
    EXPECT_FALSE(frameFault(FrameSender::Client, {kFin | WebSocket::FRAME_OP_PING, true, 125}));
    EXPECT_FALSE(frameFault(FrameSender::Client, {kFin | WebSocket::FRAME_OP_CLOSE, true, 0}));
}

TEST(FrameFaultTest, NamesEachRuleAClientFrameBreaks) {
    EXPECT_EQ(frameFault(FrameSender::Client, {kFin | WebSocket::FRAME_OP_TEXT, false, 5}),
              "client frames must be masked");
    for (const int rsv :
         {WebSocket::FRAME_FLAG_RSV1, WebSocket::FRAME_FLAG_RSV2, WebSocket::FRAME_FLAG_RSV3}) {
        EXPECT_EQ(frameFault(FrameSender::Client, {kFin | rsv | WebSocket::FRAME_OP_TEXT, true, 5}),
                  "reserved bits set without a negotiated extension");
    }
    for (const int opcode : {0x3, 0x7, 0xb, 0xf}) {
        EXPECT_EQ(frameFault(FrameSender::Client, {kFin | opcode, true, 1}), "unknown opcode")
            << opcode;
    }
    EXPECT_EQ(frameFault(FrameSender::Client, {WebSocket::FRAME_OP_PING, true, 1}),
              "fragmented control frame");
    EXPECT_EQ(frameFault(FrameSender::Client, {kFin | WebSocket::FRAME_OP_CLOSE, true, 126}),
              "control frame longer than 125 bytes");
}

TEST(FrameFaultTest, HoldsUpstreamFramesToTheServerRules) {
    EXPECT_FALSE(
        frameFault(FrameSender::Server, {kFin | WebSocket::FRAME_OP_TEXT, false, 1 << 20}));
    EXPECT_FALSE(frameFault(FrameSender::Server, {kFin | WebSocket::FRAME_OP_PONG, false, 125}));
    EXPECT_EQ(frameFault(FrameSender::Server, {kFin | WebSocket::FRAME_OP_TEXT, true, 5}),
              "server frames must not be masked");
    EXPECT_EQ(frameFault(FrameSender::Server,
                         {kFin | WebSocket::FRAME_FLAG_RSV1 | WebSocket::FRAME_OP_TEXT, false, 5}),
              "reserved bits set without a negotiated extension");
    EXPECT_EQ(frameFault(FrameSender::Server, {kFin | 0x3, false, 1}), "unknown opcode");
    EXPECT_EQ(frameFault(FrameSender::Server, {WebSocket::FRAME_OP_CLOSE, false, 2}),
              "fragmented control frame");
    EXPECT_EQ(frameFault(FrameSender::Server, {kFin | WebSocket::FRAME_OP_PING, false, 200}),
              "control frame longer than 125 bytes");
}

std::uint16_t violationCode(MessageAssembler& assembler, int flags, std::string_view payload) {
    try {
        assembler.add(flags, payload);
    } catch (const WebSocketViolation& violation) {
        return violation.closeCode();
    }
    return 0;
}

TEST(MessageAssemblerTest, JoinsFragmentsAndPassesControlFramesBetweenThem) {
    MessageAssembler assembler(16);
    EXPECT_FALSE(assembler.add(WebSocket::FRAME_OP_TEXT, "abc"));
    const auto ping = assembler.add(kFin | WebSocket::FRAME_OP_PING, "p");
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->opcode, WebSocket::FRAME_OP_PING);
    EXPECT_FALSE(assembler.add(WebSocket::FRAME_OP_CONT, "def"));
    const auto message = assembler.add(kFin | WebSocket::FRAME_OP_CONT, "g");
    ASSERT_TRUE(message);
    EXPECT_EQ(message->opcode, WebSocket::FRAME_OP_TEXT);
    EXPECT_EQ(message->payload, "abcdefg");
    const auto next = assembler.add(kFin | WebSocket::FRAME_OP_BINARY, "");
    ASSERT_TRUE(next);
    EXPECT_EQ(next->opcode, WebSocket::FRAME_OP_BINARY);
    EXPECT_EQ(next->payload, "");
}

TEST(MessageAssemblerTest, CapsTheWholeMessageNotEachFrame) {
    MessageAssembler assembler(8);
    EXPECT_FALSE(assembler.add(WebSocket::FRAME_OP_TEXT, "12345"));
    EXPECT_EQ(violationCode(assembler, kFin | WebSocket::FRAME_OP_CONT, "6789"),
              WebSocket::WS_PAYLOAD_TOO_BIG);
    MessageAssembler exact(8);
    EXPECT_FALSE(exact.add(WebSocket::FRAME_OP_TEXT, "1234"));
    EXPECT_TRUE(exact.add(kFin | WebSocket::FRAME_OP_CONT, "5678"));
}

TEST(MessageAssemblerTest, FragmentsOutOfOrderAreProtocolErrors) {
    MessageAssembler idle(64);
    EXPECT_EQ(violationCode(idle, kFin | WebSocket::FRAME_OP_CONT, "x"),
              WebSocket::WS_PROTOCOL_ERROR);
    MessageAssembler fragmented(64);
    EXPECT_FALSE(fragmented.add(WebSocket::FRAME_OP_TEXT, "x"));
    EXPECT_EQ(violationCode(fragmented, kFin | WebSocket::FRAME_OP_TEXT, "y"),
              WebSocket::WS_PROTOCOL_ERROR);
}

}  // namespace
}  // namespace sluice::core::dispatch
