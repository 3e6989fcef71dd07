#pragma once

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
/// Every frame the returned socket receives is checked by clientFrameFault() before its
/// payload is read (a fault throws WebSocketViolation with 1002); frames longer than
/// `max_frame_bytes` throw Poco's payload-too-big WebSocketException.
std::unique_ptr<Poco::Net::WebSocket> acceptClient(Poco::Net::HTTPServerRequest& request,
                                                   Poco::Net::HTTPServerResponse& response,
                                                   int max_frame_bytes);

}  // namespace sluice::core::dispatch
