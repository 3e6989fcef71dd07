#include "core/upstream/connection_pool.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/SSLManager.h>

namespace sluice::core::upstream {

namespace {

// Poco keeps its session buffer protected; expose what a non-blocking reader needs.
template <class Session>
class PooledConnection final : public UpstreamConnection {
public:
    template <class... Args>
    explicit PooledConnection(Args&&... args) : session_(std::forward<Args>(args)...) {}

    Poco::Net::HTTPClientSession& session() noexcept override { return session_; }

    bool hasBufferedInput() noexcept override {
        try {
            return session_.bufferedBytes() > 0 || session_.socket().available() > 0;
        } catch (...) {
            return false;
        }
    }

    bool hasPendingInput() noexcept override {
        try {
            return hasBufferedInput() ||
                   session_.socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ);
        } catch (...) {
            return true;
        }
    }

    int readAvailable(char* buffer, int length) override {
        return session_.readRaw(buffer, length);
    }

private:
    class Exposed final : public Session {
    public:
        using Session::Session;
        int bufferedBytes() const { return this->buffered(); }
        int readRaw(char* buffer, int length) { return this->read(buffer, length); }
    };
    Exposed session_;
};

Poco::Net::Context::Ptr clientTlsContext() {
    // System CA store, full verification; one context shared by every connection.
    static const Poco::Net::Context::Ptr context = new Poco::Net::Context(
        Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
    return context;
}

}  // namespace

ConnectionPool::ConnectionPool(UpstreamOrigin origin, std::chrono::milliseconds connect_timeout,
                               std::chrono::milliseconds read_timeout, std::size_t max_idle)
    : origin_(std::move(origin)),
      connect_timeout_(connect_timeout),
      read_timeout_(read_timeout),
      max_idle_(max_idle) {}

ConnectionPool::~ConnectionPool() = default;

UpstreamConnectionPtr ConnectionPool::open() {
    UpstreamConnectionPtr connection;
    if (origin_.secure) {
        connection = std::make_unique<PooledConnection<Poco::Net::HTTPSClientSession>>(
            origin_.host, origin_.port, clientTlsContext());
    } else {
        connection = std::make_unique<PooledConnection<Poco::Net::HTTPClientSession>>(origin_.host,
                                                                                      origin_.port);
    }
    Poco::Net::HTTPClientSession& session = connection->session();
    session.setKeepAlive(true);
    session.setTimeout(Poco::Timespan(connect_timeout_.count() * 1000),
                       Poco::Timespan(read_timeout_.count() * 1000),
                       Poco::Timespan(read_timeout_.count() * 1000));
    return connection;
}

void ConnectionPool::awaitHeadFor(UpstreamConnection& connection,
                                  std::chrono::milliseconds wait) const {
    connection.session().setTimeout(Poco::Timespan(connect_timeout_.count() * 1000),
                                    Poco::Timespan(read_timeout_.count() * 1000),
                                    Poco::Timespan(wait.count() * 1000));
}

UpstreamConnectionPtr ConnectionPool::acquire() {
    while (true) {
        UpstreamConnectionPtr connection;
        {
            std::lock_guard lock(mutex_);
            if (idle_.empty()) {
                break;
            }
            connection = std::move(idle_.back());
            idle_.pop_back();
        }
        // Closed by the peer while idle, or sent something unasked: either way not usable.
        if (!connection->hasPendingInput()) {
            return connection;
        }
    }
    return open();
}

void ConnectionPool::release(UpstreamConnectionPtr connection) {
    if (connection->hasPendingInput()) {
        return;  // bytes beyond the answer: a second answer or garbage, never the next request's
    }
    connection->reused = true;
    std::lock_guard lock(mutex_);
    if (idle_.size() < max_idle_) {
        idle_.push_back(std::move(connection));
    }
}

}  // namespace sluice::core::upstream
