#include "core/dispatch/stream_cutoff.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>

namespace sluice::core::dispatch {
namespace {

// A connected loopback pair: `near` is the side a relay would wait on.
struct SocketPair {
    Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0)};
    Poco::Net::StreamSocket far{listener.address()};
    Poco::Net::StreamSocket near = listener.acceptConnection();

    SocketPair() { near.setReceiveTimeout(Poco::Timespan(10, 0)); }
};

// What a relay's read returns once woken: 0 is the end of input.
int readOnce(Poco::Net::StreamSocket& socket) {
    char byte = 0;
    return socket.receiveBytes(&byte, 1);
}

TEST(StreamCutoffTest, CutWakesAReadWaitingOnAHeldSocket) {
    StreamCutoff cutoff;
    SocketPair pair;
    auto read = std::async(std::launch::async, [&] {
        const StreamCutoff::Hold hold(cutoff, pair.near);
        return readOnce(pair.near);
    });
    cutoff.cut();
    ASSERT_EQ(read.wait_for(std::chrono::seconds(5)), std::future_status::ready);
    EXPECT_EQ(read.get(), 0);
    EXPECT_TRUE(cutoff.isCut());
}

TEST(StreamCutoffTest, ASocketHeldAfterTheCutIsShutAtOnce) {
    StreamCutoff cutoff;
    cutoff.cut();
    SocketPair pair;
    const StreamCutoff::Hold hold(cutoff, pair.near);
    EXPECT_EQ(readOnce(pair.near), 0);
}

TEST(StreamCutoffTest, HeldSocketsReadAsUsualUntilTheCutAndReleasedOnesAreLeftAlone) {
    StreamCutoff cutoff;
    SocketPair held;
    SocketPair released;
    { const StreamCutoff::Hold hold(cutoff, released.near); }
    const StreamCutoff::Hold hold(cutoff, held.near);
    held.far.sendBytes("x", 1);
    EXPECT_EQ(readOnce(held.near), 1);
    EXPECT_FALSE(cutoff.isCut());
    cutoff.cut();
    EXPECT_EQ(readOnce(held.near), 0);
    released.far.sendBytes("y", 1);
    EXPECT_EQ(readOnce(released.near), 1) << "a released socket is not the cutoff's any more";
}

}  // namespace
}  // namespace sluice::core::dispatch
