#pragma once

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/WebSocket.h>

#include <memory>
#include <optional>

#include "sluice/sdk/http.hpp"

namespace sluice::core::dispatch {

/// The client's opening handshake checked against RFC 6455 §4.2.1 (GET over HTTP/1.1,
/// `Connection: Upgrade`, `Upgrade: websocket`, version 13, a key that is the base64 of 16
/// bytes): the typed 400 to answer, or none.
std::optional<sdk::ErrorInfo> checkClientHandshake(const Poco::Net::HTTPServerRequest& request);

/// Answers a handshake that passed checkClientHandshake with 101 and takes over the connection.
/// Every frame the returned socket receives is checked by frameFault() before its
/// payload is read (a fault throws WebSocketViolation with 1002); frames longer than
/// `max_frame_bytes` throw Poco's payload-too-big WebSocketException.
std::unique_ptr<Poco::Net::WebSocket> acceptClient(Poco::Net::HTTPServerRequest& request,
                                                   Poco::Net::HTTPServerResponse& response,
                                                   int max_frame_bytes);

/// Opens a websocket to the upstream on `session`: adds the upgrade headers to `request`, reads
/// the answer into `response` and checks its 101 (§4.1). Every frame the returned socket
/// receives is held to the server rules of frameFault() (a fault throws WebSocketViolation).
/// Throws Poco::Net::WebSocketException when an answer came but opened no websocket, another
/// Poco::Exception when none came.
std::unique_ptr<Poco::Net::WebSocket> connectUpstream(Poco::Net::HTTPClientSession& session,
                                                      Poco::Net::HTTPRequest& request,
                                                      Poco::Net::HTTPResponse& response);

}  // namespace sluice::core::dispatch
