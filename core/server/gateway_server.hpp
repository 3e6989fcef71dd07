#pragma once

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/TCPServer.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/config/pipeline.hpp"
#include "core/server/head_deadlines.hpp"
#include "core/server/listener_errors.hpp"
#include "core/server/request_handler.hpp"
#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// The HTTP listener: Poco's HTTP connections with one handler per request on a bounded thread
/// pool (an open stream holds a thread), keep-alive, a deadline for each request head
/// (HeadDeadlines), and a drain-then-stop shutdown.
class GatewayServer final {
public:
    GatewayServer(const config::ServerSettings& settings, ServerContext& context);
    ~GatewayServer();
    GatewayServer(const GatewayServer&) = delete;
    GatewayServer& operator=(const GatewayServer&) = delete;

    void start();
    /// The bound port (useful when the pipeline asked for port 0).
    std::uint16_t port() const;
    /// Stops accepting, lets in-flight requests (open streams included) finish for up to
    /// `timeout`, then ends the streams still open with their typed error (StreamCutoff) and
    /// aborts what is left. Idempotent.
    void drainAndStop(std::chrono::milliseconds timeout);

private:
    /// Waits up to `timeout` for the requests in flight to end.
    void awaitIdle(std::chrono::milliseconds timeout) const;

    ServerContext& context_;
    ListenerErrorLog errors_;
    Poco::ErrorHandler* previous_errors_ = nullptr;  ///< restored at stop
    Poco::Net::ServerSocket listener_;
    HeadDeadlines head_deadlines_;
    std::unique_ptr<Poco::ThreadPool> threads_;
    Poco::SharedPtr<RequestHandlerFactory> handlers_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
    bool stopped_ = false;
};

}  // namespace sluice::core::server
