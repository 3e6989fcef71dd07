#pragma once

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>

#include "tests/emulator/stop_signal.hpp"

namespace sluice::emulator {

/// The socket under a server request (Poco keeps it in HTTPServerRequestImpl).
Poco::Net::StreamSocket& requestSocket(Poco::Net::HTTPServerRequest& request);

/// Ends the connection without finishing the response, as an upstream that drops a stream
/// mid-way: no terminating chunk, no further keep-alive requests.
void cutConnection(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

/// Waits without answering until the peer closes, the server stops, or `limit` passes
/// (0 = no limit). Returns true when it ended because the peer went away.
bool holdUntilPeerLeaves(Poco::Net::StreamSocket& socket, std::chrono::milliseconds limit,
                         StopSignal& stop);

}  // namespace sluice::emulator
