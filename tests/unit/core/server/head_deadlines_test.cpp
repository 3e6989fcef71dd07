#include "core/server/head_deadlines.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <chrono>

namespace sluice::core::server {
namespace {

using namespace std::chrono_literals;

// A connection as the server holds it (`served`) and as its client does.
struct Connection {
    Poco::Net::ServerSocket listener{Poco::Net::SocketAddress("127.0.0.1", 0)};
    Poco::Net::StreamSocket client{listener.address()};
    Poco::Net::StreamSocket served = listener.acceptConnection();

    /// Whether the server side has shut the connection within `within`.
    bool cutWithin(std::chrono::milliseconds within) {
        if (!client.poll(Poco::Timespan(within.count() * 1000), Poco::Net::Socket::SELECT_READ)) {
            return false;
        }
        char byte = 0;
        try {
            return client.receiveBytes(&byte, 1) <= 0;
        } catch (const Poco::Exception&) {
            return true;  // reset
        }
    }
};

TEST(HeadDeadlinesTest, AConnectionWithoutAHeadIsCutAtTheHeaderTimeout) {
    HeadDeadlines deadlines(200ms, 0ms);
    Connection connection;
    const auto started = std::chrono::steady_clock::now();
    const HeadDeadlines::Watch watch(deadlines, connection.served);
    EXPECT_TRUE(connection.cutWithin(3000ms));
    EXPECT_GE(std::chrono::steady_clock::now() - started, 200ms);
}

TEST(HeadDeadlinesTest, ARequestInHandIsNotCutAndItsAnswerStartsTheNextDeadline) {
    HeadDeadlines deadlines(200ms, 100ms);
    Connection connection;
    const HeadDeadlines::Watch watch(deadlines, connection.served);
    deadlines.arrived(connection.client.address());
    EXPECT_FALSE(connection.cutWithin(600ms)) << "a request being handled has no head deadline";
    deadlines.answered(connection.client.address());
    EXPECT_TRUE(connection.cutWithin(3000ms));
}

TEST(HeadDeadlinesTest, AnEndedConnectionIsForgotten) {
    HeadDeadlines deadlines(100ms, 0ms);
    Connection connection;
    { const HeadDeadlines::Watch watch(deadlines, connection.served); }
    EXPECT_FALSE(connection.cutWithin(400ms));
}

}  // namespace
}  // namespace sluice::core::server
