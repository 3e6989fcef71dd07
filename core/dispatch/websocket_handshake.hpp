#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/WebSocket.h>

#include <memory>
#include <optional>
#include <string>

#include "sluice/sdk/http.hpp"

namespace sluice::core::dispatch {

/// A client's opening handshake as the server read it; views into the server's request.
struct ClientHandshake {
    std::string_view method;
    int version = 11;  ///< HTTP/1.x: 10 or 11
    const sdk::Headers& headers;
    bool early_data = false;  ///< the client sent bytes before its upgrade was answered
};

/// The client side of a websocket upgrade, as the server hands it to the relay. The thread
/// serving the request.
class ClientUpgrade {
public:
    virtual ~ClientUpgrade() = default;
    virtual const ClientHandshake& handshake() const noexcept = 0;
    /// Answers a handshake that passed checkClientHandshake with 101 (plus `headers`) and takes
    /// over the connection: see serverWebSocket(). Throws Poco::Exception when the client is
    /// gone.
    virtual std::unique_ptr<Poco::Net::WebSocket> accept(const sdk::Headers& headers,
                                                         int max_frame_bytes) = 0;
};

/// The client's opening handshake checked against RFC 6455 §4.2.1 (GET over HTTP/1.1,
/// `Connection: Upgrade`, `Upgrade: websocket`, version 13, a key that is the base64 of 16
/// bytes, nothing sent before the answer): the typed 400 to answer, or none.
std::optional<sdk::ErrorInfo> checkClientHandshake(const ClientHandshake& handshake);

/// The fields of the 101 that accepts `handshake` (Upgrade, Connection, Sec-WebSocket-Accept).
sdk::Headers acceptFields(const ClientHandshake& handshake);

/// The server side of a websocket on `fd` (a blocking socket whose 101 was sent; the websocket
/// owns it). Every frame it receives is checked by frameFault() before its payload is read (a
/// fault throws WebSocketViolation with 1002); frames longer than `max_frame_bytes` throw
/// Poco's payload-too-big WebSocketException.
std::unique_ptr<Poco::Net::WebSocket> serverWebSocket(int fd, int max_frame_bytes);

/// Opens a websocket to the upstream on `session`: adds the upgrade headers to `request`, reads
/// the answer into `response` and checks its 101 (§4.1). Every frame the returned socket
/// receives is held to the server rules of frameFault() (a fault throws WebSocketViolation).
/// Throws Poco::Net::WebSocketException when an answer came but opened no websocket, another
/// Poco::Exception when none came.
std::unique_ptr<Poco::Net::WebSocket> connectUpstream(Poco::Net::HTTPClientSession& session,
                                                      Poco::Net::HTTPRequest& request,
                                                      Poco::Net::HTTPResponse& response);

}  // namespace sluice::core::dispatch
