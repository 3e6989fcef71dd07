#pragma once

#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

#include "core/upstream/upstream_origin.hpp"

namespace sluice::core::upstream {

/// One keep-alive connection to the upstream. Knows whether input is already buffered, so a
/// reader can wait for the socket with a timeout (for SSE keepalives) without corrupting
/// Poco's stream state.
class UpstreamConnection {
public:
    virtual ~UpstreamConnection() = default;
    virtual Poco::Net::HTTPClientSession& session() noexcept = 0;
    /// True when bytes are waiting in Poco's or TLS's buffers (the socket may look idle).
    virtual bool hasBufferedInput() noexcept = 0;
    /// True when an idle connection has input or a close waiting: between answers a
    /// keep-alive connection must have neither, else the next answer read may not be ours.
    virtual bool hasPendingInput() noexcept = 0;
    /// Reads what is buffered, or else one receive from the socket: bytes read, 0 at end of
    /// stream. Throws on socket errors. Call when input is buffered or the socket is readable.
    virtual int readAvailable(char* buffer, int length) = 0;
    /// Whether the connection has served a response before (a failure then may just be a stale
    /// keep-alive connection, worth one retry on a fresh one).
    bool reused = false;
};

using UpstreamConnectionPtr = std::unique_ptr<UpstreamConnection>;

/// Idle keep-alive connections to one origin. acquire() reuses a clean one or opens a new one;
/// release() returns a connection whose response was read exactly to its end, and drops it when
/// more input is already waiting. Thread-safe.
class ConnectionPool final {
public:
    ConnectionPool(UpstreamOrigin origin, std::chrono::milliseconds connect_timeout,
                   std::chrono::milliseconds read_timeout, std::size_t max_idle = 256);
    ~ConnectionPool();

    UpstreamConnectionPtr acquire();
    /// Bounds how long `connection` waits for the next answer's head (connect and send keep
    /// the pool's timeouts).
    void awaitHeadFor(UpstreamConnection& connection, std::chrono::milliseconds wait) const;
    UpstreamConnectionPtr open();
    void release(UpstreamConnectionPtr connection);

    const UpstreamOrigin& origin() const noexcept { return origin_; }

private:
    UpstreamOrigin origin_;
    std::chrono::milliseconds connect_timeout_;
    std::chrono::milliseconds read_timeout_;
    std::size_t max_idle_;
    std::mutex mutex_;
    std::vector<UpstreamConnectionPtr> idle_;
};

}  // namespace sluice::core::upstream
