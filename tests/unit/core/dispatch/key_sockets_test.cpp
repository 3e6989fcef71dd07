#include "core/dispatch/key_sockets.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/WebSocketImpl.h>
#include <gtest/gtest.h>

#include <atomic>

namespace sluice::core::dispatch {
namespace {

// A server-side websocket over a loopback connection, without a handshake: enough to watch.
class LoopbackWebSocket {
public:
    LoopbackWebSocket()
        : listener_(Poco::Net::SocketAddress("127.0.0.1", 0)),
          peer_(listener_.address()),
          accepted_(listener_.acceptConnection()),
          session_(accepted_),
          socket_(Poco::Net::StreamSocket(new Poco::Net::WebSocketImpl(
              static_cast<Poco::Net::StreamSocketImpl*>(accepted_.impl()), session_, false))) {}

    Poco::Net::WebSocket& socket() { return socket_; }
    /// Whether a read on the websocket would return at once (data or end of input).
    bool readable() {
        return socket_.poll(Poco::Timespan(0, 100'000), Poco::Net::Socket::SELECT_READ);
    }

private:
    Poco::Net::ServerSocket listener_;
    Poco::Net::StreamSocket peer_;
    Poco::Net::StreamSocket accepted_;
    Poco::Net::HTTPClientSession session_;
    Poco::Net::WebSocket socket_;
};

const sdk::Headers kCredential{{"Authorization", "Bearer sk-test"}, {"x-api-key", "sk-test"}};

struct FakeDirectory {
    std::atomic<bool> revoked{false};
    std::atomic<int> checks{0};

    KeySockets::Check check() {
        return [this](sdk::CredentialKind kind,
                      const sdk::Headers& credential) -> std::optional<sdk::ErrorInfo> {
            ++checks;
            EXPECT_EQ(kind, sdk::CredentialKind::PoolKey);
            EXPECT_EQ(credential.size(), 2U);  // only the credential headers are kept
            if (!revoked) {
                return std::nullopt;
            }
            return sdk::ErrorInfo{401,
                                  "authentication_error",
                                  "invalid_api_key",
                                  "the Pool API key is revoked",
                                  "",
                                  0,
                                  ""};
        };
    }
};

TEST(KeySocketsTest, EachTurnChecksTheKeyAsItIsNow) {
    FakeDirectory directory;
    KeySockets sockets(directory.check());
    LoopbackWebSocket client;
    sdk::Headers headers = kCredential;
    headers.push_back({"session-id", "s"});
    const auto watch = sockets.watch(sdk::CredentialKind::PoolKey, headers, client.socket());
    EXPECT_FALSE(watch->refusal());
    directory.revoked = true;
    const auto refusal = watch->refusal();
    ASSERT_TRUE(refusal);
    EXPECT_EQ(refusal->code, "invalid_api_key");
    EXPECT_FALSE(watch->swept());  // no sweep ran: nothing woke the relay
    EXPECT_FALSE(client.readable());
}

TEST(KeySocketsTest, SweepWakesOnlyRefusedSocketsAndForgetsEndedOnes) {
    FakeDirectory directory;
    KeySockets sockets(directory.check());
    LoopbackWebSocket client;
    const auto watch = sockets.watch(sdk::CredentialKind::PoolKey, kCredential, client.socket());
    sockets.sweep();
    EXPECT_FALSE(watch->swept());
    EXPECT_FALSE(client.readable());
    directory.revoked = true;
    sockets.sweep();
    ASSERT_TRUE(watch->swept());
    EXPECT_EQ(watch->swept()->message, "the Pool API key is revoked");
    EXPECT_TRUE(client.readable());  // the read side is shut: the relay's wait ends
    const int checks = directory.checks;
    sockets.sweep();  // already refused: not checked again
    EXPECT_EQ(directory.checks, checks);

    LoopbackWebSocket other;
    sockets.watch(sdk::CredentialKind::PoolKey, kCredential, other.socket()).reset();
    sockets.sweep();
    EXPECT_EQ(directory.checks, checks);
}

}  // namespace
}  // namespace sluice::core::dispatch
