#include "core/dispatch/websocket_handshake.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/WebSocketImpl.h>
#include <Poco/String.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/dispatch/websocket_frames.hpp"

namespace sluice::core::dispatch {

namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::WebSocket;

constexpr std::size_t kEncodedKeyLength = 24;  // base64 of 16 bytes: 22 characters and "=="

bool isBase64Character(char c) noexcept {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
}

bool isSixteenByteKey(const std::string& key) {
    return key.size() == kEncodedKeyLength && key.compare(kEncodedKeyLength - 2, 2, "==") == 0 &&
           std::all_of(key.begin(), key.end() - 2, isBase64Character);
}

std::string trimmedKey(const HTTPServerRequest& request) {
    return Poco::trim(request.get("Sec-WebSocket-Key", ""));
}

struct HandshakeRule {
    bool (*holds)(const HTTPServerRequest&);
    const char* message;
};

const std::array<HandshakeRule, 6> kHandshakeRules{{
    {[](const HTTPServerRequest& r) { return r.getMethod() == Poco::Net::HTTPRequest::HTTP_GET; },
     "a websocket upgrade is a GET request"},
    {[](const HTTPServerRequest& r) { return r.getVersion() == Poco::Net::HTTPMessage::HTTP_1_1; },
     "a websocket upgrade needs HTTP/1.1"},
    {[](const HTTPServerRequest& r) { return r.hasToken("Connection", "upgrade"); },
     "a websocket upgrade needs `Connection: Upgrade`"},
    {[](const HTTPServerRequest& r) {
         return Poco::icompare(r.get("Upgrade", ""), "websocket") == 0;
     },
     "a websocket upgrade needs `Upgrade: websocket`"},
    {[](const HTTPServerRequest& r) {
         return r.get("Sec-WebSocket-Version", "") == WebSocket::WEBSOCKET_VERSION;
     },
     "Sec-WebSocket-Version must be 13"},
    {[](const HTTPServerRequest& r) { return isSixteenByteKey(trimmedKey(r)); },
     "Sec-WebSocket-Key must be the base64 encoding of 16 bytes"},
}};

// Reads each frame's header through Poco's own parser, then applies the rules Poco leaves out
// before any of the payload is read.
class CheckedWebSocketImpl final : public Poco::Net::WebSocketImpl {
public:
    CheckedWebSocketImpl(Poco::Net::StreamSocketImpl* socket, Poco::Net::HTTPSession& session)
        : WebSocketImpl(socket, session, false) {}

    int receiveBytes(void* buffer, int length, int) override {
        char mask[4];
        const int payload = checkedHeader(mask);
        if (payload <= 0) {
            return payload;
        }
        if (payload > length) {
            throw Poco::Net::WebSocketException("frame larger than the buffer",
                                                WebSocket::WS_ERR_PAYLOAD_TOO_BIG);
        }
        return receivePayload(static_cast<char*>(buffer), payload, mask, true);
    }

    int receiveBytes(Poco::Buffer<char>& buffer, int, const Poco::Timespan&) override {
        char mask[4];
        const int payload = checkedHeader(mask);
        if (payload <= 0) {
            return payload;
        }
        const std::size_t offset = buffer.size();
        buffer.resize(offset + static_cast<std::size_t>(payload));
        return receivePayload(buffer.begin() + offset, payload, mask, true);
    }

private:
    ~CheckedWebSocketImpl() override = default;

    // The payload length; 0 with no flags is the end of the connection.
    int checkedHeader(char mask[4]) {
        bool masked = false;
        const int payload = receiveHeader(mask, masked);
        if (payload < 0 || (payload == 0 && frameFlags() == 0)) {
            return payload;
        }
        const FrameHeader header{frameFlags(), masked, static_cast<std::uint64_t>(payload)};
        if (const auto fault = clientFrameFault(header)) {
            throw WebSocketViolation(WebSocket::WS_PROTOCOL_ERROR, std::string(*fault));
        }
        return payload;
    }
};

// Poco keeps the Sec-WebSocket-Accept computation to WebSocket and its subclasses.
struct AcceptKey final : WebSocket {
    static std::string of(const std::string& key) { return computeAccept(key); }
};

}  // namespace

std::optional<sdk::ErrorInfo> checkClientHandshake(const HTTPServerRequest& request) {
    for (const HandshakeRule& rule : kHandshakeRules) {
        if (!rule.holds(request)) {
            return sdk::ErrorInfo{
                400, "invalid_request_error", "invalid_upgrade", rule.message, "", 0, ""};
        }
    }
    return std::nullopt;
}

std::unique_ptr<WebSocket> acceptClient(HTTPServerRequest& request,
                                        Poco::Net::HTTPServerResponse& response,
                                        int max_frame_bytes) {
    response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS);
    response.set("Upgrade", "websocket");
    response.set("Connection", "Upgrade");
    response.set("Sec-WebSocket-Accept", AcceptKey::of(trimmedKey(request)));
    response.setContentLength(Poco::Net::HTTPResponse::UNKNOWN_CONTENT_LENGTH);
    response.send().flush();
    auto& server_request = static_cast<Poco::Net::HTTPServerRequestImpl&>(request);
    const Poco::Net::StreamSocket connection = server_request.detachSocket();
    auto socket = std::make_unique<WebSocket>(Poco::Net::StreamSocket(new CheckedWebSocketImpl(
        static_cast<Poco::Net::StreamSocketImpl*>(connection.impl()), server_request.session())));
    socket->setMaxPayloadSize(max_frame_bytes);
    return socket;
}

}  // namespace sluice::core::dispatch
