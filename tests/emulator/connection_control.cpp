#include "tests/emulator/connection_control.hpp"

#include <Poco/Net/HTTPServerRequestImpl.h>
#include <sys/socket.h>

namespace sluice::emulator {
namespace {

constexpr std::chrono::milliseconds kPollInterval{100};

}  // namespace

Poco::Net::StreamSocket& requestSocket(Poco::Net::HTTPServerRequest& request) {
    return static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
}

void cutConnection(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    response.setKeepAlive(false);
    try {
        requestSocket(request).shutdown();
    } catch (const Poco::Exception&) {
        // Already gone: the cut happened anyway.
    }
}

bool holdUntilPeerLeaves(Poco::Net::StreamSocket& socket, std::chrono::milliseconds limit,
                         StopSignal& stop) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!stop.stopped()) {
        if (limit.count() > 0 && std::chrono::steady_clock::now() >= deadline)
            return false;
        try {
            if (socket.poll(Poco::Timespan(kPollInterval.count() * 1000),
                            Poco::Net::Socket::SELECT_READ)) {
                char probe = 0;
                if (socket.receiveBytes(&probe, 1, MSG_PEEK) <= 0)
                    return true;
                // The client sent more (a pipelined request): keep ignoring it, but sleep so
                // the readable socket does not turn this loop into a spin.
                stop.waitFor(kPollInterval);
            }
        } catch (const Poco::Exception&) {
            return true;
        }
    }
    return false;
}

}  // namespace sluice::emulator
