#include "core/dispatch/websocket_frames.hpp"

#include <algorithm>
#include <array>

namespace sluice::core::dispatch {

namespace {

using Poco::Net::WebSocket;

constexpr int kReservedBits =
    WebSocket::FRAME_FLAG_RSV1 | WebSocket::FRAME_FLAG_RSV2 | WebSocket::FRAME_FLAG_RSV3;
constexpr std::uint64_t kMaxControlPayload = 125;

int opcodeOf(int flags) noexcept {
    return flags & WebSocket::FRAME_OP_BITMASK;
}
bool isControl(int opcode) noexcept {
    return (opcode & 0x08) != 0;
}
bool isKnown(int opcode) noexcept {
    return opcode == WebSocket::FRAME_OP_CONT || opcode == WebSocket::FRAME_OP_TEXT ||
           opcode == WebSocket::FRAME_OP_BINARY || opcode == WebSocket::FRAME_OP_CLOSE ||
           opcode == WebSocket::FRAME_OP_PING || opcode == WebSocket::FRAME_OP_PONG;
}

struct FrameRule {
    bool (*broken)(const FrameHeader&) noexcept;
    std::string_view description;
};

// Sluice negotiates no extension, so every reserved bit must be clear. Masking, the one rule
// that depends on the sender, is checked first.
constexpr std::array<FrameRule, 4> kFrameRules{{
    {[](const FrameHeader& h) noexcept { return (h.flags & kReservedBits) != 0; },
     "reserved bits set without a negotiated extension"},
    {[](const FrameHeader& h) noexcept { return !isKnown(opcodeOf(h.flags)); }, "unknown opcode"},
    {[](const FrameHeader& h) noexcept {
         return isControl(opcodeOf(h.flags)) && (h.flags & WebSocket::FRAME_FLAG_FIN) == 0;
     },
     "fragmented control frame"},
    {[](const FrameHeader& h) noexcept {
         return isControl(opcodeOf(h.flags)) && h.length > kMaxControlPayload;
     },
     "control frame longer than 125 bytes"},
}};

}  // namespace

std::optional<std::string_view> frameFault(FrameSender sender, const FrameHeader& header) noexcept {
    if (header.masked != (sender == FrameSender::Client)) {
        return sender == FrameSender::Client ? "client frames must be masked"
                                             : "server frames must not be masked";
    }
    for (const FrameRule& rule : kFrameRules) {
        if (rule.broken(header)) {
            return rule.description;
        }
    }
    return std::nullopt;
}

std::optional<WebSocketMessage> MessageAssembler::add(int flags, std::string_view payload) {
    const int opcode = opcodeOf(flags);
    const bool fin = (flags & WebSocket::FRAME_FLAG_FIN) != 0;
    if (isControl(opcode)) {
        // Control frames may come between the fragments of a message; they stand alone.
        return WebSocketMessage{opcode, std::string(payload)};
    }
    switch (phase_) {
        case Phase::Idle:
            return start(opcode, fin, payload);
        case Phase::Fragmented:
            return resume(opcode == WebSocket::FRAME_OP_CONT, fin, payload);
    }
    return std::nullopt;
}

std::optional<WebSocketMessage> MessageAssembler::start(int opcode, bool fin,
                                                        std::string_view payload) {
    if (opcode == WebSocket::FRAME_OP_CONT) {
        throw WebSocketViolation(WebSocket::WS_PROTOCOL_ERROR,
                                 "continuation frame without a message");
    }
    pending_.opcode = opcode;
    append(payload);
    if (fin) {
        return finish();
    }
    phase_ = Phase::Fragmented;
    return std::nullopt;
}

std::optional<WebSocketMessage> MessageAssembler::resume(bool continuation, bool fin,
                                                         std::string_view payload) {
    if (!continuation) {
        throw WebSocketViolation(WebSocket::WS_PROTOCOL_ERROR,
                                 "new message before the last one ended");
    }
    append(payload);
    if (fin) {
        phase_ = Phase::Idle;
        return finish();
    }
    return std::nullopt;
}

void MessageAssembler::append(std::string_view payload) {
    if (payload.size() > max_bytes_ - pending_.payload.size()) {
        throw WebSocketViolation(WebSocket::WS_PAYLOAD_TOO_BIG,
                                 "message larger than " + std::to_string(max_bytes_) + " bytes");
    }
    pending_.payload.append(payload);
}

WebSocketMessage MessageAssembler::finish() {
    WebSocketMessage message = std::move(pending_);
    pending_ = {};
    return message;
}

void sendMessage(WebSocket& socket, int opcode, std::string_view payload) {
    int frame_opcode = opcode;
    do {
        const std::size_t length = std::min(payload.size(), kSendFrameBytes);
        const bool last = length == payload.size();
        socket.sendFrame(payload.data(), static_cast<int>(length),
                         frame_opcode | (last ? static_cast<int>(WebSocket::FRAME_FLAG_FIN) : 0));
        payload.remove_prefix(length);
        frame_opcode = WebSocket::FRAME_OP_CONT;
    } while (!payload.empty());
}

}  // namespace sluice::core::dispatch
