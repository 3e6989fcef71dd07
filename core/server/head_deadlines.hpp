#pragma once

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace sluice::core::server {

/// Bounds how long a connection may take to send a request head. Poco's server only bounds
/// each read (idle_timeout), so a client trickling one header byte at a time, or a crowd of
/// connections sending nothing, would hold a request thread each for as long as they like.
/// A connection is due a head from the moment its thread takes it up, and again once its
/// answer is sent (after the keep-alive wait); one past its due time is shut down, which ends
/// Poco's read at once. Thread-safe: request threads report, a sweeper thread cuts.
class HeadDeadlines final {
public:
    HeadDeadlines(std::chrono::milliseconds header_timeout, std::chrono::milliseconds keep_alive);
    ~HeadDeadlines();
    HeadDeadlines(const HeadDeadlines&) = delete;
    HeadDeadlines& operator=(const HeadDeadlines&) = delete;

    /// One connection a request thread serves, from its start to its end.
    class Watch final {
    public:
        Watch(HeadDeadlines& owner, const Poco::Net::StreamSocket& socket);
        ~Watch();
        Watch(const Watch&) = delete;
        Watch& operator=(const Watch&) = delete;

    private:
        HeadDeadlines& owner_;
        std::string peer_;
    };

    /// A head arrived from `peer`: no deadline while its request is handled.
    void arrived(const Poco::Net::SocketAddress& peer);
    /// `peer`'s answer is sent: its next head is due after the keep-alive wait.
    void answered(const Poco::Net::SocketAddress& peer);

private:
    struct Entry {
        Poco::Net::StreamSocket socket;
        std::optional<std::chrono::steady_clock::time_point> due;  ///< none: a request is in hand
    };

    void due(const std::string& peer, std::chrono::milliseconds within);
    void sweep();

    const std::chrono::milliseconds header_timeout_;
    const std::chrono::milliseconds keep_alive_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::map<std::string, Entry> entries_;  ///< by peer address: unique among open connections
    std::thread sweeper_;
};

/// Poco's HTTP connections, each watched by `deadlines` while its thread serves it.
class WatchedConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    WatchedConnectionFactory(Poco::Net::HTTPServerParams::Ptr params,
                             Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                             HeadDeadlines& deadlines)
        : params_(std::move(params)), handlers_(std::move(handlers)), deadlines_(deadlines) {}

    Poco::Net::TCPServerConnection* createConnection(
        const Poco::Net::StreamSocket& socket) override;

private:
    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
    HeadDeadlines& deadlines_;
};

}  // namespace sluice::core::server
