#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "core/server/http_exchange.hpp"
#include "core/server/request_head.hpp"
#include "core/server/request_service.hpp"

namespace sluice::core::server {

/// The bounds every connection is held to.
struct ConnectionLimits {
    std::chrono::milliseconds header_timeout{0};  ///< a head, from its first byte (or accept)
    std::chrono::milliseconds body_timeout{0};    ///< a body, from the head's end
    std::chrono::milliseconds idle_timeout{0};    ///< between requests; one stalled send
    std::uint64_t max_header_bytes = 0;
};

class Connection;

/// What a connection needs from the server.
class ConnectionHost {
public:
    virtual ~ConnectionHost() = default;
    virtual RequestService& requests() noexcept = 0;
    /// Queues `job` for a worker thread; false when the queue is full.
    virtual bool submit(std::function<void()> job) = 0;
    /// True once the server drains: a connection then carries no further request.
    virtual bool draining() const noexcept = 0;
    /// The connection answered `status` itself and closes (counted with unrouted requests).
    virtual void refused(int status) noexcept = 0;
    /// A connection began or ended (any thread), for the server to stop them all.
    virtual void opened(Connection& connection) = 0;
    virtual void closed(Connection& connection) noexcept = 0;
};

/// One client connection on an event loop: an explicit state machine, one function per
/// transition. Slow phases are bounded by a timer on the loop, so a slow or idle client costs
/// no thread. Requests on a connection are answered in order (pipelined heads wait in the
/// buffer while one is handled).
///
///   ReadingHead -> ReadingBody -> Handling -> Idle (keep-alive) -> ReadingHead ...
///        \______________\______________\______-> Writing (a host answer) -> Closed
///   Handling -> HandedOver (a websocket took the socket)
///
/// Loop thread, except the ClientConnection calls, which the worker serving the request makes
/// while the connection is Handling (the loop then leaves the socket alone).
class Connection final : public std::enable_shared_from_this<Connection>, private ClientConnection {
public:
    enum class Phase { ReadingHead, ReadingBody, Handling, Idle, Writing, HandedOver, Closed };

    Connection(boost::asio::ip::tcp::socket socket, const ConnectionLimits& limits,
               ConnectionHost& host);
    ~Connection() override;
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// The first head is due within the header timeout from now.
    void start();
    /// The server drains or stops: a connection between requests closes now; one in a request
    /// finishes it and then closes. `abort` also cuts a request in hand. Any thread.
    void stop(bool abort);
    Phase phase() const noexcept { return phase_.load(); }
    /// The loop this connection lives on.
    boost::asio::any_io_executor executor() { return socket_.get_executor(); }

private:
    // Transitions.
    void readHead();
    void onHead(const boost::beast::error_code& error);
    void sendContinue();
    void readBody();
    void onBody(const boost::beast::error_code& error);
    void handle();
    void onHandled(bool reusable);
    void awaitNextHead();
    void answer(std::string bytes);
    void close();

    void arm(std::chrono::milliseconds within);
    void disarm();
    void onTimeout();
    void enter(Phase phase) noexcept { phase_.store(phase); }
    void refuse(const sdk::ErrorInfo& error);

    // ClientConnection, for the worker while Handling.
    bool send(std::string_view bytes) noexcept override;
    void abort() noexcept override;
    std::size_t unreadBytes() const noexcept override { return buffer_.size(); }
    int takeOver() noexcept override;

    boost::asio::ip::tcp::socket socket_;
    boost::asio::steady_timer timer_;
    const ConnectionLimits& limits_;
    ConnectionHost& host_;
    std::atomic<Phase> phase_{Phase::ReadingHead};
    std::uint64_t timer_generation_ = 0;
    bool armed_ = false;
    bool timed_out_ = false;
    bool stopping_ = false;
    boost::beast::flat_buffer buffer_;
    std::optional<RequestParser> parser_;
    AnswerFraming framing_;   ///< of the request in hand
    bool too_large_ = false;  ///< its body passed the limit: the rest stays unread
    std::unique_ptr<AdmittedRequest> request_;
    std::atomic<bool> taken_over_{false};
};

}  // namespace sluice::core::server
