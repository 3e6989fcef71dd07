#include "core/server/gateway_server.hpp"

#include <boost/asio/post.hpp>
#include <stdexcept>

#include "core/observability/fatal_signal.hpp"

namespace sluice::core::server {

namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

// How long cut streams get to write their last event; only a client that stops reading needs it.
constexpr std::chrono::seconds kCutGrace{2};
// After an accept failed for want of descriptors or memory, the listener rests this long
// instead of spinning on the same failure.
constexpr std::chrono::milliseconds kAcceptPause{50};

std::size_t loopCount(std::uint32_t configured) {
    if (configured > 0) {
        return configured;
    }
    return std::max(1U, std::thread::hardware_concurrency());
}

std::unique_ptr<asio::io_context> newLoop() {
    return std::make_unique<asio::io_context>(1);
}

}  // namespace

GatewayServer::GatewayServer(const config::ServerSettings& settings, ServerContext& context)
    : context_(context),
      errors_(context.logger),
      limits_{settings.header_timeout, settings.body_timeout, settings.idle_timeout,
              settings.max_header_bytes},
      handler_(context),
      workers_(settings.max_threads, settings.max_queued),
      loops_([&] {
          std::vector<std::unique_ptr<Loop>> loops;
          for (std::size_t i = 0; i < loopCount(settings.loop_threads); ++i) {
              loops.push_back(newLoop());
          }
          return loops;
      }()),
      acceptor_(*loops_.front()),
      accept_pause_(*loops_.front()) {
    boost::system::error_code error;
    const auto address = asio::ip::make_address(settings.listen_host, error);
    const tcp::endpoint endpoint(address, settings.listen_port);
    const std::string named = settings.listen_host + ":" + std::to_string(settings.listen_port);
    if (error) {
        throw std::runtime_error("cannot listen on " + named + ": " + error.message());
    }
    acceptor_.open(endpoint.protocol());
    // SO_REUSEADDR lets a restart bind at once; SO_REUSEPORT would let a second gateway split
    // the traffic unnoticed, so only an explicit share_port turns it on.
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    if (settings.share_port) {
        acceptor_.set_option(asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>(true));
    }
    acceptor_.bind(endpoint, error);
    if (error) {
        throw std::runtime_error("cannot listen on " + named + ": " + error.message() +
                                 " (another gateway? server.share_port: true shares the address)");
    }
    acceptor_.listen(static_cast<int>(std::min<std::uint32_t>(settings.max_queued, 4096)));
    port_ = acceptor_.local_endpoint().port();
}

GatewayServer::~GatewayServer() {
    drainAndStop(std::chrono::milliseconds(0));
}

void GatewayServer::start() {
    for (const auto& loop : loops_) {
        guards_.push_back(asio::make_work_guard(*loop));
    }
    accept();
    for (const auto& loop : loops_) {
        threads_.emplace_back([&loop = *loop] {
            observability::fatal_signal::prepareThread();
            loop.run();
        });
    }
}

void GatewayServer::accept() {
    Loop& target = *loops_[next_loop_++ % loops_.size()];
    acceptor_.async_accept(target,
                           [this](const boost::system::error_code& error, tcp::socket socket) {
                               onAccept(error, std::move(socket));
                           });
}

void GatewayServer::onAccept(const boost::system::error_code& error, tcp::socket socket) {
    if (error == asio::error::operation_aborted || !acceptor_.is_open()) {
        return;  // the listener closed
    }
    if (error) {
        errors_.report(error.message());
        accept_pause_.expires_after(kAcceptPause);
        accept_pause_.async_wait([this](const boost::system::error_code& waited) {
            if (!waited && acceptor_.is_open()) {
                accept();
            }
        });
        return;
    }
    // The connection lives on the loop its socket was accepted onto.
    auto connection = std::make_shared<Connection>(std::move(socket), limits_,
                                                   static_cast<ConnectionHost&>(*this));
    asio::post(connection->executor(), [connection] { connection->start(); });
    accept();
}

void GatewayServer::opened(Connection& connection) {
    std::lock_guard lock(connections_mutex_);
    connections_.insert(&connection);
}

void GatewayServer::closed(Connection& connection) noexcept {
    std::lock_guard lock(connections_mutex_);
    connections_.erase(&connection);
}

void GatewayServer::stopConnections(bool abort) {
    // The references are dropped after the lock: one may be a connection's last (its loop let
    // go meanwhile), and its destructor takes the lock to leave the set (closed()).
    std::vector<std::shared_ptr<Connection>> open;
    {
        std::lock_guard lock(connections_mutex_);
        open.reserve(connections_.size());
        for (Connection* connection : connections_) {
            // One being destroyed (its count already zero) waits for this lock; skip it.
            if (auto alive = connection->weak_from_this().lock()) {
                open.push_back(std::move(alive));
            }
        }
    }
    for (const auto& connection : open) {
        connection->stop(abort);
    }
}

void GatewayServer::drainAndStop(std::chrono::milliseconds timeout) {
    if (stopped_) {
        return;
    }
    stopped_ = true;
    context_.draining = true;
    // No new connections; the backlog is refused instead of left hanging.
    asio::post(*loops_.front(), [this] {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
        accept_pause_.cancel();
    });
    stopConnections(false);  // idle ones close; requests in hand finish
    awaitIdle(timeout);
    // Streams still open end with their surface's typed error, then what is left is aborted.
    context_.cutoff.cut();
    awaitIdle(kCutGrace);
    stopConnections(true);
    workers_.stop();
    guards_.clear();
    for (const auto& loop : loops_) {
        loop->stop();
    }
    for (std::thread& thread : threads_) {
        thread.join();
    }
    threads_.clear();
}

void GatewayServer::awaitIdle(std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (context_.in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace sluice::core::server
