#pragma once

#include <Poco/Net/WebSocket.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace sluice::core::dispatch {

/// Why a websocket must be failed, as the close frame says it (RFC 6455 §7.4.1).
class WebSocketViolation final : public std::runtime_error {
public:
    WebSocketViolation(std::uint16_t close_code, const std::string& reason)
        : std::runtime_error(reason), close_code_(close_code) {}

    std::uint16_t closeCode() const noexcept { return close_code_; }

private:
    std::uint16_t close_code_;
};

/// A frame header as read off the wire, before its payload.
struct FrameHeader {
    int flags = 0;  ///< FIN, RSV1-3 and opcode (the first byte)
    bool masked = false;
    std::uint64_t length = 0;
};

/// Which end of a websocket sent a frame: clients mask every frame, servers none (§5.1).
enum class FrameSender { Client, Server };

/// The RFC 6455 rules Poco::Net::WebSocket (1.11) leaves to its caller, for a frame `sender`
/// sent: masking (§5.1), reserved bits without a negotiated extension (§5.2), known opcodes, and
/// control frames unfragmented and at most 125 bytes (§5.5). The broken rule's description, or
/// none.
std::optional<std::string_view> frameFault(FrameSender sender, const FrameHeader& header) noexcept;

/// One whole message (fragments joined) or one control frame.
struct WebSocketMessage {
    int opcode = 0;
    std::string payload;
};

/// Joins a websocket's data frames into messages of at most `max_bytes` (§5.4). One per socket
/// direction, used by the thread reading it.
class MessageAssembler final {
public:
    explicit MessageAssembler(std::size_t max_bytes) : max_bytes_(max_bytes) {}

    /// The frame just received (`flags` as Poco::Net::WebSocket::receiveFrame reports them): a
    /// control frame or a completed message, or none while fragments are pending. Throws
    /// WebSocketViolation (1009 past the cap, 1002 for fragments out of order).
    std::optional<WebSocketMessage> add(int flags, std::string_view payload);
    /// Whether part of a message has arrived and the rest has not.
    bool pending() const noexcept { return phase_ == Phase::Fragmented; }

private:
    enum class Phase { Idle, Fragmented };

    std::optional<WebSocketMessage> start(int opcode, bool fin, std::string_view payload);
    std::optional<WebSocketMessage> resume(bool continuation, bool fin, std::string_view payload);
    void append(std::string_view payload);
    WebSocketMessage finish();

    std::size_t max_bytes_;
    Phase phase_ = Phase::Idle;
    WebSocketMessage pending_;
};

/// Sends one message as frames of at most kSendFrameBytes, so no length handed to Poco can
/// exceed an int whatever the message size.
void sendMessage(Poco::Net::WebSocket& socket, int opcode, std::string_view payload);

inline constexpr std::size_t kSendFrameBytes = 1024 * 1024;

}  // namespace sluice::core::dispatch
