#pragma once

#include <condition_variable>
#include <functional>
#include <mutex>

namespace sluice::plugins::route_runner {

/// Runs background jobs (trigger fires, watcher dispatches) each on a thread of its own and
/// waits for all of them on destruction, so no job outlives what it borrows. Thread-safe.
class BackgroundRuns final {
public:
    BackgroundRuns() = default;
    ~BackgroundRuns();
    BackgroundRuns(const BackgroundRuns&) = delete;
    BackgroundRuns& operator=(const BackgroundRuns&) = delete;

    void start(std::function<void()> job);
    int inFlight() const;

private:
    mutable std::mutex mutex_;
    std::condition_variable done_;
    int in_flight_ = 0;
};

}  // namespace sluice::plugins::route_runner
