#include "core/dispatch/websocket_handshake.hpp"

#include <Poco/AutoPtr.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Net/WebSocketImpl.h>
#include <Poco/String.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "core/dispatch/websocket_frames.hpp"

namespace sluice::core::dispatch {

namespace {

using Poco::Net::WebSocket;

constexpr std::size_t kEncodedKeyLength = 24;  // base64 of 16 bytes: 22 characters and "=="

bool isBase64Character(char c) noexcept {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/';
}

bool isSixteenByteKey(const std::string& key) {
    return key.size() == kEncodedKeyLength && key.compare(kEncodedKeyLength - 2, 2, "==") == 0 &&
           std::all_of(key.begin(), key.end() - 2, isBase64Character);
}

std::string trimmedKey(const ClientHandshake& handshake) {
    return Poco::trim(
        std::string(sdk::findHeader(handshake.headers, "Sec-WebSocket-Key").value_or("")));
}

std::string fieldOf(const ClientHandshake& handshake, std::string_view name) {
    return std::string(sdk::findHeader(handshake.headers, name).value_or(""));
}

// Whether a comma-separated field has `token`, in any case.
bool hasToken(const ClientHandshake& handshake, std::string_view name, std::string_view token) {
    for (const sdk::Header& header : handshake.headers) {
        if (!sdk::equalsIgnoreCase(header.name, name)) {
            continue;
        }
        std::string_view rest = header.value;
        while (!rest.empty()) {
            const std::size_t comma = rest.find(',');
            std::string_view item = rest.substr(0, comma);
            while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) {
                item.remove_prefix(1);
            }
            while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) {
                item.remove_suffix(1);
            }
            if (sdk::equalsIgnoreCase(item, token)) {
                return true;
            }
            rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        }
    }
    return false;
}

struct HandshakeRule {
    bool (*holds)(const ClientHandshake&);
    const char* message;
};

const std::array<HandshakeRule, 7> kHandshakeRules{{
    {[](const ClientHandshake& h) { return h.method == "GET"; },
     "a websocket upgrade is a GET request"},
    {[](const ClientHandshake& h) { return h.version == 11; },
     "a websocket upgrade needs HTTP/1.1"},
    {[](const ClientHandshake& h) { return hasToken(h, "Connection", "upgrade"); },
     "a websocket upgrade needs `Connection: Upgrade`"},
    {[](const ClientHandshake& h) {
         return Poco::icompare(fieldOf(h, "Upgrade"), "websocket") == 0;
     },
     "a websocket upgrade needs `Upgrade: websocket`"},
    {[](const ClientHandshake& h) {
         return fieldOf(h, "Sec-WebSocket-Version") == WebSocket::WEBSOCKET_VERSION;
     },
     "Sec-WebSocket-Version must be 13"},
    {[](const ClientHandshake& h) { return isSixteenByteKey(trimmedKey(h)); },
     "Sec-WebSocket-Key must be the base64 encoding of 16 bytes"},
    {[](const ClientHandshake& h) { return !h.early_data; },
     "a websocket client must wait for the upgrade's answer before sending"},
}};

// Reads each frame's header through Poco's own parser, then applies the rules Poco leaves out
// before any of the payload is read. `peer` is who sends the frames read; the gateway masks
// what it sends as a client, never what it sends as a server.
class CheckedWebSocketImpl final : public Poco::Net::WebSocketImpl {
public:
    CheckedWebSocketImpl(Poco::Net::StreamSocketImpl* socket, Poco::Net::HTTPSession& session,
                         FrameSender peer)
        : WebSocketImpl(socket, session, peer == FrameSender::Server), peer_(peer) {}

    int receiveBytes(void* buffer, int length, int) override {
        char mask[4];
        bool masked = false;
        const int payload = checkedHeader(mask, masked);
        if (payload <= 0) {
            return payload;
        }
        if (payload > length) {
            throw Poco::Net::WebSocketException("frame larger than the buffer",
                                                WebSocket::WS_ERR_PAYLOAD_TOO_BIG);
        }
        return receivePayload(static_cast<char*>(buffer), payload, mask, masked);
    }

    int receiveBytes(Poco::Buffer<char>& buffer, int, const Poco::Timespan&) override {
        char mask[4];
        bool masked = false;
        const int payload = checkedHeader(mask, masked);
        if (payload <= 0) {
            return payload;
        }
        const std::size_t offset = buffer.size();
        buffer.resize(offset + static_cast<std::size_t>(payload));
        return receivePayload(buffer.begin() + offset, payload, mask, masked);
    }

private:
    ~CheckedWebSocketImpl() override = default;

    // The payload length, and in `masked` whether it is masked; 0 with no flags is the end of the
    // connection.
    int checkedHeader(char mask[4], bool& masked) {
        const int payload = receiveHeader(mask, masked);
        if (payload < 0 || (payload == 0 && frameFlags() == 0)) {
            return payload;
        }
        const FrameHeader header{frameFlags(), masked, static_cast<std::uint64_t>(payload)};
        if (const auto fault = frameFault(peer_, header)) {
            throw WebSocketViolation(WebSocket::WS_PROTOCOL_ERROR, std::string(*fault));
        }
        return payload;
    }

    FrameSender peer_;
};

// Poco keeps the handshake's key computations to WebSocket and its subclasses.
struct HandshakeKeys final : WebSocket {
    static std::string acceptFor(const std::string& key) { return computeAccept(key); }
    static std::string newKey() { return createKey(); }
};

// The upstream's 101 answer checked as RFC 6455 §4.1 asks a client to.
void checkUpstreamUpgrade(const Poco::Net::HTTPResponse& response, const std::string& key) {
    using Poco::Net::WebSocketException;
    if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_SWITCHING_PROTOCOLS) {
        throw WebSocketException("the upstream did not switch protocols",
                                 WebSocket::WS_ERR_NO_HANDSHAKE);
    }
    if (!response.hasToken("Connection", "upgrade") ||
        Poco::icompare(response.get("Upgrade", ""), "websocket") != 0) {
        throw WebSocketException("the upstream's 101 names no websocket upgrade",
                                 WebSocket::WS_ERR_NO_HANDSHAKE);
    }
    if (response.get("Sec-WebSocket-Accept", "") != HandshakeKeys::acceptFor(key)) {
        throw WebSocketException("the upstream's Sec-WebSocket-Accept does not match",
                                 WebSocket::WS_ERR_HANDSHAKE_ACCEPT);
    }
}

}  // namespace

std::optional<sdk::ErrorInfo> checkClientHandshake(const ClientHandshake& handshake) {
    for (const HandshakeRule& rule : kHandshakeRules) {
        if (!rule.holds(handshake)) {
            return sdk::ErrorInfo{
                400, "invalid_request_error", "invalid_upgrade", rule.message, "", 0, ""};
        }
    }
    return std::nullopt;
}

sdk::Headers acceptFields(const ClientHandshake& handshake) {
    return {{"Upgrade", "websocket"},
            {"Connection", "Upgrade"},
            {"Sec-WebSocket-Accept", HandshakeKeys::acceptFor(trimmedKey(handshake))}};
}

std::unique_ptr<WebSocket> serverWebSocket(int fd, int max_frame_bytes) {
    // Nothing was read past the 101 (checkClientHandshake refuses early data), so the session
    // Poco drains into the websocket holds nothing.
    struct NoSession final : Poco::Net::HTTPSession {};
    NoSession session;
    Poco::AutoPtr<Poco::Net::StreamSocketImpl> connection(new Poco::Net::StreamSocketImpl(fd));
    auto socket = std::make_unique<WebSocket>(Poco::Net::StreamSocket(
        new CheckedWebSocketImpl(connection.get(), session, FrameSender::Client)));
    socket->setMaxPayloadSize(max_frame_bytes);
    return socket;
}

std::unique_ptr<WebSocket> connectUpstream(Poco::Net::HTTPClientSession& session,
                                           Poco::Net::HTTPRequest& request,
                                           Poco::Net::HTTPResponse& response) {
    const std::string key = HandshakeKeys::newKey();
    request.set("Connection", "Upgrade");
    request.set("Upgrade", "websocket");
    request.set("Sec-WebSocket-Version", WebSocket::WEBSOCKET_VERSION);
    request.set("Sec-WebSocket-Key", key);
    request.setChunkedTransferEncoding(false);
    session.setKeepAlive(true);
    session.sendRequest(request);
    session.receiveResponse(response);
    checkUpstreamUpgrade(response, key);
    const Poco::Net::StreamSocket connection = session.detachSocket();
    return std::make_unique<WebSocket>(Poco::Net::StreamSocket(
        new CheckedWebSocketImpl(static_cast<Poco::Net::StreamSocketImpl*>(connection.impl()),
                                 session, FrameSender::Server)));
}

}  // namespace sluice::core::dispatch
