#include "core/server/connection.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <future>
#include <mutex>
#include <set>
#include <thread>

#include "core/server/worker_pool.hpp"

namespace sluice::core::server {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using namespace std::chrono_literals;

// Answers every request with its method, target and body; holds the worker while `hold` is set.
class EchoRequest final : public AdmittedRequest {
public:
    EchoRequest(RequestHead head, std::atomic<bool>& hold) : head_(std::move(head)), hold_(hold) {}
    BodyPlan bodyPlan() const noexcept override { return BodyPlan::Read; }
    std::uint64_t bodyLimit() const noexcept override { return 64; }
    void serve(ReadBody body, HttpResponseWriter& writer, ClientConnection&) noexcept override {
        while (hold_.load()) {
            std::this_thread::sleep_for(1ms);
        }
        if (body.too_large) {
            writer.closeAfter();
            writer.send(413, {}, "too large");
            return;
        }
        writer.send(200, {}, head_.method + " " + head_.target + " " + body.bytes);
    }

private:
    RequestHead head_;
    std::atomic<bool>& hold_;
};

// An event loop, a worker pool and an acceptor: each test connects a client and drives it.
class ConnectionTest : public ::testing::Test, public ConnectionHost, public RequestService {
protected:
    ConnectionTest() : workers_(2, 4), acceptor_(loop_, tcp::endpoint(tcp::v4(), 0)) {
        limits_ = {400ms, 400ms, 400ms, 1024};
    }
    // In TearDown, not the destructor: the loop thread uses this fixture as its ConnectionHost,
    // so it must be joined before destruction begins to rewrite the fixture's vtable pointer.
    void TearDown() override {
        loop_.stop();
        if (thread_.joinable()) {
            thread_.join();
        }
        workers_.stop();
    }

    // One connection accepted onto the loop, and the client's end of it.
    Poco::Net::StreamSocket connect() {
        acceptor_.async_accept([this](const boost::system::error_code& error, tcp::socket socket) {
            ASSERT_FALSE(error);
            auto accepted = std::make_shared<Connection>(std::move(socket), limits_, *this);
            accepted->start();
            connection_.store(std::move(accepted));
        });
        if (!thread_.joinable()) {
            thread_ = std::thread([this] {
                auto guard = asio::make_work_guard(loop_);
                loop_.run();
            });
        }
        Poco::Net::StreamSocket client(
            Poco::Net::SocketAddress("127.0.0.1", acceptor_.local_endpoint().port()));
        client.setReceiveTimeout(Poco::Timespan(3, 0));
        return client;
    }

    // What the client reads until the connection closes (or 3 s pass).
    static std::string readToClose(Poco::Net::StreamSocket& client) {
        std::string out;
        char block[1024];
        try {
            int got = 0;
            while ((got = client.receiveBytes(block, sizeof block)) > 0) {
                out.append(block, static_cast<std::size_t>(got));
            }
        } catch (const Poco::Exception&) {
            out += "<timeout>";
        }
        return out;
    }

    static void sendText(Poco::Net::StreamSocket& client, const std::string& text) {
        client.sendBytes(text.data(), static_cast<int>(text.size()));
    }

    RequestService& requests() noexcept override { return *this; }
    bool submit(std::function<void()> job) override { return workers_.submit(std::move(job)); }
    bool draining() const noexcept override { return false; }
    void refused(int) noexcept override {}
    void opened(Connection&) override {}
    void closed(Connection&) noexcept override {}
    Admission admit(RequestHead head) noexcept override {
        Admission admission;
        admission.request = std::make_unique<EchoRequest>(std::move(head), hold_);
        return admission;
    }

    ConnectionLimits limits_;
    WorkerPool workers_;
    asio::io_context loop_;
    tcp::acceptor acceptor_;
    std::thread thread_;
    std::atomic<std::shared_ptr<Connection>> connection_;  // set on the loop, read by the test
    std::atomic<bool> hold_{false};
};

TEST_F(ConnectionTest, PipelinedRequestsAreAnsweredInOrderOnOneConnection) {
    auto client = connect();
    sendText(client,
             "GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
             "POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nbody"
             "GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    const std::string replies = readToClose(client);
    const auto one = replies.find("GET /one ");
    const auto two = replies.find("POST /two body");
    const auto three = replies.find("GET /three ");
    ASSERT_NE(one, std::string::npos) << replies;
    ASSERT_NE(two, std::string::npos) << replies;
    ASSERT_NE(three, std::string::npos) << replies;
    EXPECT_LT(one, two);
    EXPECT_LT(two, three);
    EXPECT_NE(replies.find("Connection: close"), std::string::npos) << "the last one asked";
}

TEST_F(ConnectionTest, AChunkedBodyIsReadWholeBeforeTheRequestIsServed) {
    auto client = connect();
    sendText(client,
             "POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n"
             "\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    EXPECT_NE(readToClose(client).find("POST /c abcde"), std::string::npos);
}

TEST_F(ConnectionTest, AHeadNotInByTheHeaderTimeoutIsCutWithoutAnAnswer) {
    auto client = connect();
    const auto started = std::chrono::steady_clock::now();
    sendText(client, "GET /slow HTTP/1.1\r\nHost:");
    EXPECT_EQ(readToClose(client), "");
    const auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_GE(waited, 350ms);
    EXPECT_LT(waited, 2s);
}

TEST_F(ConnectionTest, AnIdleKeptAliveConnectionClosesAfterTheIdleTimeout) {
    auto client = connect();
    sendText(client, "GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    const auto started = std::chrono::steady_clock::now();
    const std::string replies = readToClose(client);
    EXPECT_NE(replies.find("200 OK"), std::string::npos) << replies;
    EXPECT_EQ(replies.find("<timeout>"), std::string::npos) << "closed by the gateway";
    EXPECT_GE(std::chrono::steady_clock::now() - started, 350ms);
    EXPECT_EQ(connection_.load()->phase(), Connection::Phase::Closed);
}

TEST_F(ConnectionTest, ABodyNotInByTheBodyTimeoutIsAnswered408) {
    auto client = connect();
    sendText(client, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
    const std::string reply = readToClose(client);
    EXPECT_EQ(reply.rfind("HTTP/1.1 408 ", 0), 0U) << reply;
    EXPECT_NE(reply.find("\"request_timeout\""), std::string::npos) << reply;
}

TEST_F(ConnectionTest, ABodyPastTheLimitIsNotReadOnAndClosesTheConnection) {
    auto client = connect();
    sendText(client, "POST /big HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                         std::string("50\r\n") + std::string(80, 'x') + "\r\n");
    const std::string reply = readToClose(client);
    EXPECT_EQ(reply.rfind("HTTP/1.1 413 ", 0), 0U) << reply;
    EXPECT_NE(reply.find("Connection: close"), std::string::npos) << reply;
}

TEST_F(ConnectionTest, AHeadPastTheLimitIsAnswered431) {
    auto client = connect();
    sendText(client, "GET / HTTP/1.1\r\nX-Big: " + std::string(2000, 'a') + "\r\n\r\n");
    const std::string reply = readToClose(client);
    EXPECT_EQ(reply.rfind("HTTP/1.1 431 ", 0), 0U) << reply;
}

TEST_F(ConnectionTest, DoubtfulFramingIsRefusedWithItsStatusAndTheConnectionClosed) {
    const std::vector<std::pair<std::string, std::string>> probes{
        {"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", "400"},
        {"Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "400"},
        {"Content-Length: 2\r\nContent-Length: 40\r\n", "400"},
        {"Transfer-Encoding: gzip\r\n", "501"},
        {"Content-Length: -1\r\n", "400"},
        {"Content-Length: +2\r\n", "400"},
        {"Content-Length: 2, 2\r\n", "400"},
    };
    for (const auto& [fields, status] : probes) {
        auto client = connect();
        sendText(client, "POST /f HTTP/1.1\r\nHost: x\r\n" + fields +
                             "\r\n{}GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n");
        const std::string reply = readToClose(client);
        EXPECT_EQ(reply.rfind("HTTP/1.1 " + status + " ", 0), 0U) << fields << reply;
        EXPECT_EQ(reply.find("smuggled"), std::string::npos) << fields << reply;
        EXPECT_EQ(reply.find("<timeout>"), std::string::npos) << fields << reply;
    }
}

TEST_F(ConnectionTest, TheLoopLeavesTheSocketToTheWorkerWhileHandling) {
    hold_ = true;
    auto client = connect();
    sendText(client, "GET /held HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    std::shared_ptr<Connection> connection;
    for (int i = 0;
         i < 200 && (connection == nullptr || connection->phase() != Connection::Phase::Handling);
         ++i) {
        std::this_thread::sleep_for(5ms);
        connection = connection_.load();
    }
    ASSERT_NE(connection, nullptr);
    EXPECT_EQ(connection->phase(), Connection::Phase::Handling);
    // Held past every timeout: no timer runs while a worker holds the request.
    std::this_thread::sleep_for(600ms);
    EXPECT_EQ(connection->phase(), Connection::Phase::Handling);
    hold_ = false;
    EXPECT_NE(readToClose(client).find("GET /held"), std::string::npos);
}

}  // namespace
}  // namespace sluice::core::server
