#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "core/config/pipeline.hpp"
#include "core/server/connection.hpp"
#include "core/server/listener_errors.hpp"
#include "core/server/request_handler.hpp"
#include "core/server/server_context.hpp"
#include "core/server/worker_pool.hpp"

namespace sluice::core::server {

/// The HTTP listener: a fixed number of event-loop threads accept connections and read every
/// request (head and body) under timers, so slow and idle clients cost no thread; a request
/// read whole runs on the bounded worker pool (an open stream holds its worker); a drain-then-
/// stop shutdown.
class GatewayServer final : private ConnectionHost {
public:
    GatewayServer(const config::ServerSettings& settings, ServerContext& context);
    ~GatewayServer() override;
    GatewayServer(const GatewayServer&) = delete;
    GatewayServer& operator=(const GatewayServer&) = delete;

    void start();
    /// The bound port (useful when the pipeline asked for port 0).
    std::uint16_t port() const noexcept { return port_; }
    /// Stops accepting, lets in-flight requests (open streams included) finish for up to
    /// `timeout`, then ends the streams still open with their typed error (StreamCutoff) and
    /// aborts what is left. Idempotent.
    void drainAndStop(std::chrono::milliseconds timeout);

private:
    using Loop = boost::asio::io_context;
    using LoopGuard = boost::asio::executor_work_guard<Loop::executor_type>;

    // ConnectionHost
    RequestService& requests() noexcept override { return handler_; }
    bool submit(std::function<void()> job) override { return workers_.submit(std::move(job)); }
    bool draining() const noexcept override { return context_.draining.load(); }
    void refused(int status) noexcept override { context_.metrics.recordUnrouted(status); }
    void opened(Connection& connection) override;
    void closed(Connection& connection) noexcept override;

    void accept();
    void onAccept(const boost::system::error_code& error, boost::asio::ip::tcp::socket socket);
    /// Tells every open connection the server stops; `abort` cuts requests in hand.
    void stopConnections(bool abort);
    /// Waits up to `timeout` for the requests in flight to end.
    void awaitIdle(std::chrono::milliseconds timeout) const;

    ServerContext& context_;
    ListenerErrorLog errors_;
    ConnectionLimits limits_;
    RequestHandler handler_;
    std::mutex connections_mutex_;
    std::unordered_set<Connection*> connections_;
    WorkerPool workers_;
    std::vector<std::unique_ptr<Loop>> loops_;
    std::vector<LoopGuard> guards_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::steady_timer accept_pause_;
    std::uint16_t port_ = 0;
    std::size_t next_loop_ = 0;
    std::vector<std::thread> threads_;
    bool stopped_ = false;
};

}  // namespace sluice::core::server
