#pragma once

#include <Poco/Net/Socket.h>

#include <atomic>
#include <list>
#include <mutex>

namespace sluice::core::dispatch {

/// Ends the streams still open when shutdown's drain time is up. Each relay holds its upstream
/// socket here while it waits on it; cut() shuts every held socket's read side, which wakes the
/// relay at once to end its client's stream with the surface's typed error (instead of the bare
/// close an aborted connection gives). Thread-safe: relays hold from request threads, cut()
/// runs on the thread that stops the server.
class StreamCutoff final {
public:
    /// One upstream socket a relay is waiting on; released when destroyed. Held after cut(),
    /// the socket's read side is shut at once.
    class Hold final {
    public:
        Hold(StreamCutoff& owner, const Poco::Net::Socket& socket);
        ~Hold();
        Hold(const Hold&) = delete;
        Hold& operator=(const Hold&) = delete;

    private:
        StreamCutoff& owner_;
        std::list<Poco::Net::Socket>::iterator entry_;
    };

    /// Wakes every held relay; streams opened later are cut as they start. Idempotent.
    void cut();
    /// Whether cut() has run: a relay woken by it reports the shutdown, not an upstream fault.
    bool isCut() const noexcept { return cut_.load(std::memory_order_acquire); }

private:
    static void shutReceive(Poco::Net::Socket& socket) noexcept;

    std::atomic<bool> cut_{false};
    std::mutex mutex_;
    std::list<Poco::Net::Socket> held_;
};

}  // namespace sluice::core::dispatch
