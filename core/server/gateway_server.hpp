#pragma once

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>

#include <chrono>
#include <memory>
#include <string>

#include "core/config/pipeline.hpp"
#include "core/server/listener_errors.hpp"
#include "core/server/server_context.hpp"

namespace sluice::core::server {

/// The HTTP listener: Poco's HTTPServer with one handler per request on a bounded thread pool
/// (an open stream holds a thread), keep-alive, and a drain-then-stop shutdown.
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
    /// `timeout`, then aborts what is left. Idempotent.
    void drainAndStop(std::chrono::milliseconds timeout);

private:
    ServerContext& context_;
    ListenerErrorLog errors_;
    Poco::ErrorHandler* previous_errors_ = nullptr;  ///< restored at stop
    Poco::Net::ServerSocket listener_;
    std::unique_ptr<Poco::ThreadPool> threads_;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    bool stopped_ = false;
};

}  // namespace sluice::core::server
