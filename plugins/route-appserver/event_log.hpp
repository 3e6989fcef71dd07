#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sluice::plugins::route_appserver {

/// One app-server message as the event streams carry it.
struct LoggedEvent {
    std::uint64_t id = 0;   ///< monotonic across every owner; the SSE `id:`
    std::string owner;      ///< the owner key whose app-server sent it
    std::string thread_id;  ///< params.threadId (or params.thread.id); empty when none
    std::string name;       ///< the SSE `event:` (the method, or "serverRequest")
    std::string data;       ///< the SSE `data:` (one line of JSON)
};

/// The bounded ring of recent events every SSE stream reads from: appended on the supervisors'
/// reader threads, read by stream handlers that wait for what comes after the last id they sent.
/// Thread-safe.
class EventLog final {
public:
    explicit EventLog(std::size_t capacity);

    /// Appends an event and wakes the streams; returns its id.
    std::uint64_t append(std::string owner, std::string thread_id, std::string name,
                         std::string data);
    /// Events after `after` that `keep` accepts, oldest first (at most `limit`). Waits up to
    /// `wait` for the first one when there are none yet; returns early when `stopped` says so.
    std::vector<LoggedEvent> after(std::uint64_t after,
                                   const std::function<bool(const LoggedEvent&)>& keep,
                                   std::size_t limit, std::chrono::milliseconds wait);
    /// The id of the newest event (0 when none).
    std::uint64_t lastId() const;
    /// Wakes every waiting reader (shutdown).
    void wakeAll();

private:
    const std::size_t capacity_;
    mutable std::mutex mutex_;
    std::condition_variable appended_;
    std::deque<LoggedEvent> events_;
    std::uint64_t next_id_ = 1;
    std::uint64_t wakes_ = 0;
};

/// The thread a message concerns: params.threadId, else params.thread.id; empty when neither.
std::string messageThreadId(const nlohmann::json& message);

}  // namespace sluice::plugins::route_appserver
