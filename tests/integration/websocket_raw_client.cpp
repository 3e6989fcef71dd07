#include "tests/integration/websocket_raw_client.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/SocketAddress.h>

#include <array>

namespace sluice::integration {

namespace {

constexpr std::array<char, 4> kMask{'\x12', '\x34', '\x56', '\x78'};
constexpr int kCloseOpcode = 0x8;

}  // namespace

RawWebSocketClient::RawWebSocketClient(std::uint16_t port)
    : socket_(Poco::Net::SocketAddress("127.0.0.1", port)) {
    socket_.setReceiveTimeout(Poco::Timespan(5, 0));
}

std::string RawWebSocketClient::validHeaders(const std::string& key) {
    return "Authorization: Bearer " + key +
           "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
}

int RawWebSocketClient::upgrade(const std::string& header_lines, const std::string& path) {
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header_lines + "\r\n";
    socket_.sendBytes(request.data(), static_cast<int>(request.size()));
    std::string head;
    char c = 0;
    // Byte by byte: nothing after the head (the first frames) may be consumed here.
    while (head.size() < 4 || head.compare(head.size() - 4, 4, "\r\n\r\n") != 0) {
        if (!readExactly(&c, 1)) {
            return 0;
        }
        head.push_back(c);
    }
    const int status = std::stoi(head.substr(head.find(' ') + 1, 3));
    constexpr std::string_view kLength = "\r\nContent-Length: ";
    if (const auto at = head.find(kLength); status != 101 && at != std::string::npos) {
        body_.assign(std::stoul(head.substr(at + kLength.size())), '\0');
        readExactly(body_.data(), body_.size());
    }
    return status;
}

void RawWebSocketClient::sendFrame(std::uint8_t first_byte, const std::string& payload,
                                   bool masked) {
    std::string frame(1, static_cast<char>(first_byte));
    const char mask_bit = masked ? '\x80' : '\0';
    if (payload.size() < 126) {
        frame.push_back(static_cast<char>(mask_bit | static_cast<char>(payload.size())));
    } else {
        frame.push_back(static_cast<char>(mask_bit | 126));
        frame.push_back(static_cast<char>((payload.size() >> 8) & 0xff));
        frame.push_back(static_cast<char>(payload.size() & 0xff));
    }
    if (masked) {
        frame.append(kMask.begin(), kMask.end());
    }
    for (std::size_t i = 0; i < payload.size(); ++i) {
        frame.push_back(masked ? static_cast<char>(payload[i] ^ kMask[i % 4]) : payload[i]);
    }
    socket_.sendBytes(frame.data(), static_cast<int>(frame.size()));
}

void RawWebSocketClient::sendBytes(const std::string& bytes) {
    socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
}

int RawWebSocketClient::Frame::closeCode() const {
    if (opcode != kCloseOpcode || payload.size() < 2) {
        return 0;
    }
    return (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]);
}

RawWebSocketClient::Frame RawWebSocketClient::receiveFrame() {
    Frame frame;
    std::array<char, 10> header{};
    if (!readExactly(header.data(), 2)) {
        return frame;
    }
    std::uint64_t length = static_cast<unsigned char>(header[1]) & 0x7f;
    const std::size_t extended = length == 126 ? 2 : length == 127 ? 8 : 0;
    if (extended > 0) {
        if (!readExactly(header.data() + 2, extended)) {
            return frame;
        }
        length = 0;
        for (std::size_t i = 0; i < extended; ++i) {
            length = (length << 8) | static_cast<unsigned char>(header[2 + i]);
        }
    }
    std::string payload(length, '\0');
    if (!readExactly(payload.data(), payload.size())) {
        return frame;
    }
    frame.opcode = header[0] & 0x0f;
    frame.payload = std::move(payload);
    return frame;
}

RawWebSocketClient::Frame RawWebSocketClient::receiveUntilClose() {
    while (true) {
        Frame frame = receiveFrame();
        if (frame.opcode == -1 || frame.opcode == kCloseOpcode) {
            return frame;
        }
    }
}

bool RawWebSocketClient::readExactly(char* out, std::size_t length) {
    std::size_t done = 0;
    try {
        while (done < length) {
            const int n = socket_.receiveBytes(out + done, static_cast<int>(length - done));
            if (n <= 0) {
                return false;
            }
            done += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception&) {
        return false;
    }
    return true;
}

}  // namespace sluice::integration
