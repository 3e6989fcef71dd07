#include "core/server/head_deadlines.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPServerConnection.h>

namespace sluice::core::server {

namespace {

// How often overdue connections are looked for: the cut comes at most this late.
constexpr std::chrono::milliseconds kSweepInterval{100};

class WatchedConnection final : public Poco::Net::HTTPServerConnection {
public:
    WatchedConnection(const Poco::Net::StreamSocket& socket,
                      Poco::Net::HTTPServerParams::Ptr params,
                      Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, HeadDeadlines& deadlines)
        : HTTPServerConnection(socket, std::move(params), std::move(handlers)),
          deadlines_(deadlines) {}

    void run() override {
        const HeadDeadlines::Watch watch(deadlines_, socket());
        HTTPServerConnection::run();
    }

private:
    HeadDeadlines& deadlines_;
};

std::string keyOf(const Poco::Net::SocketAddress& peer) {
    return peer.toString();
}

}  // namespace

HeadDeadlines::HeadDeadlines(std::chrono::milliseconds header_timeout,
                             std::chrono::milliseconds keep_alive)
    : header_timeout_(header_timeout), keep_alive_(keep_alive), sweeper_([this] { sweep(); }) {}

HeadDeadlines::~HeadDeadlines() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    sweeper_.join();
}

HeadDeadlines::Watch::Watch(HeadDeadlines& owner, const Poco::Net::StreamSocket& socket)
    : owner_(owner) {
    try {
        peer_ = keyOf(socket.peerAddress());
    } catch (const Poco::Exception&) {
        return;  // already gone: Poco's first read ends the connection
    }
    std::lock_guard lock(owner_.mutex_);
    owner_.entries_.insert_or_assign(
        peer_, Entry{socket, std::chrono::steady_clock::now() + owner_.header_timeout_});
}

HeadDeadlines::Watch::~Watch() {
    std::lock_guard lock(owner_.mutex_);
    owner_.entries_.erase(peer_);
}

void HeadDeadlines::arrived(const Poco::Net::SocketAddress& peer) {
    std::lock_guard lock(mutex_);
    if (const auto entry = entries_.find(keyOf(peer)); entry != entries_.end()) {
        entry->second.due.reset();
    }
}

void HeadDeadlines::answered(const Poco::Net::SocketAddress& peer) {
    due(keyOf(peer), keep_alive_ + header_timeout_);
}

void HeadDeadlines::due(const std::string& peer, std::chrono::milliseconds within) {
    std::lock_guard lock(mutex_);
    if (const auto entry = entries_.find(peer); entry != entries_.end()) {
        entry->second.due = std::chrono::steady_clock::now() + within;
    }
}

void HeadDeadlines::sweep() {
    std::unique_lock lock(mutex_);
    while (!wake_.wait_for(lock, kSweepInterval, [this] { return stopping_; })) {
        const auto now = std::chrono::steady_clock::now();
        for (auto& [peer, entry] : entries_) {
            if (!entry.due || *entry.due > now) {
                continue;
            }
            entry.due.reset();
            try {
                entry.socket.shutdown();
            } catch (const Poco::Exception&) {
                // Closed meanwhile: its thread is ending anyway.
            }
        }
    }
}

Poco::Net::TCPServerConnection* WatchedConnectionFactory::createConnection(
    const Poco::Net::StreamSocket& socket) {
    return new WatchedConnection(socket, params_, handlers_, deadlines_);
}

}  // namespace sluice::core::server
