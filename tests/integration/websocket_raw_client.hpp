#pragma once

#include <Poco/Net/StreamSocket.h>

#include <cstdint>
#include <string>

namespace sluice::integration {

/// A websocket client that writes its handshake and frames byte by byte, for the requests and
/// frames Poco's client never sends (bad keys, unmasked or reserved-bit frames). Loopback only.
class RawWebSocketClient final {
public:
    explicit RawWebSocketClient(std::uint16_t port);

    /// Sends an upgrade of `path` with these header lines (each ending in CRLF) and returns the
    /// answer's status code; the rest of the answer's head, and a body it announces, are read.
    int upgrade(const std::string& header_lines,
                const std::string& path = "/backend-api/codex/responses");
    /// The body of the answer to upgrade() (empty for a 101).
    const std::string& body() const { return body_; }
    /// The header lines of a valid upgrade by the Pool key `key`.
    static std::string validHeaders(const std::string& key);

    /// One frame: `first_byte` is FIN, RSV and opcode as sent; masked with a fixed key unless
    /// `masked` is false.
    void sendFrame(std::uint8_t first_byte, const std::string& payload, bool masked = true);
    /// `bytes` as they are, e.g. a frame cut short.
    void sendBytes(const std::string& bytes);

    struct Frame {
        int opcode = -1;  ///< -1: the connection ended (or timed out) first
        std::string payload;
        /// The status code of a close frame, 0 otherwise.
        int closeCode() const;
    };
    /// The next frame from the gateway (unmasked, as servers send them).
    Frame receiveFrame();
    /// Frames until a close frame or the end; returns that last one.
    Frame receiveUntilClose();

private:
    bool readExactly(char* out, std::size_t length);

    Poco::Net::StreamSocket socket_;
    std::string body_;
};

}  // namespace sluice::integration
