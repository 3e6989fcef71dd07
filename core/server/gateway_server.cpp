#include "core/server/gateway_server.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/ThreadPool.h>

#include <stdexcept>
#include <thread>

namespace sluice::core::server {

namespace {

// Request threads mostly wait on sockets; a small stack keeps thousands of open streams cheap.
constexpr int kThreadStackBytes = 256 * 1024;
// How long cut streams get to write their last event; only a client that stops reading needs it.
constexpr std::chrono::seconds kCutGrace{2};

}  // namespace

GatewayServer::GatewayServer(const config::ServerSettings& settings, ServerContext& context)
    : context_(context),
      errors_(context.logger),
      head_deadlines_(settings.header_timeout, settings.idle_timeout) {
    const Poco::Net::SocketAddress address(settings.listen_host, settings.listen_port);
    try {
        // SO_REUSEADDR lets a restart bind at once; SO_REUSEPORT would let a second gateway split
        // the traffic unnoticed, so only an explicit share_port turns it on.
        listener_.bind(address, true, settings.share_port);
    } catch (const Poco::Net::NetException& e) {
        throw std::runtime_error("cannot listen on " + address.toString() + ": " + e.message() +
                                 " (another gateway? server.share_port: true shares the address)");
    }
    listener_.listen(static_cast<int>(std::min<std::uint32_t>(settings.max_queued, 4096)));

    Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams();
    params->setMaxThreads(static_cast<int>(settings.max_threads));
    params->setMaxQueued(static_cast<int>(settings.max_queued));
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(settings.idle_timeout.count() * 1000));
    params->setMaxKeepAliveRequests(0);  // unlimited
    params->setTimeout(Poco::Timespan(settings.idle_timeout.count() * 1000));

    threads_ = std::make_unique<Poco::ThreadPool>(2, static_cast<int>(settings.max_threads), 60,
                                                  kThreadStackBytes);
    handlers_ = new RequestHandlerFactory(context_, head_deadlines_);
    server_ = std::make_unique<Poco::Net::TCPServer>(
        new WatchedConnectionFactory(params, handlers_, head_deadlines_), *threads_, listener_,
        params);
}

GatewayServer::~GatewayServer() {
    drainAndStop(std::chrono::milliseconds(0));
}

void GatewayServer::start() {
    previous_errors_ = Poco::ErrorHandler::set(&errors_);
    server_->start();
}

std::uint16_t GatewayServer::port() const {
    return server_->port();
}

void GatewayServer::drainAndStop(std::chrono::milliseconds timeout) {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    context_.draining = true;
    server_->stop();  // no new connections; current requests continue
    // Refuse connections queued in the backlog instead of leaving them hanging.
    listener_.close();
    awaitIdle(timeout);
    // Streams still open end with their surface's typed error, then what is left is aborted.
    context_.cutoff.cut();
    awaitIdle(kCutGrace);
    server_->stop();
    handlers_->stopConnections(true);
    threads_->joinAll();
    if (previous_errors_ != nullptr) {
        Poco::ErrorHandler::set(previous_errors_);
    }
}

void GatewayServer::awaitIdle(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (context_.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace sluice::core::server
