#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace sluice::emulator {

/// Lets scripted waits (slow first byte, event pacing, hangs) end as soon as the server stops,
/// so stopping an emulator never waits for a scripted delay.
class StopSignal final {
public:
    /// Waits up to `duration`; false when the server stopped meanwhile.
    bool waitFor(std::chrono::milliseconds duration) {
        if (duration.count() <= 0)
            return !stopped();
        std::unique_lock lock(mutex_);
        return !cv_.wait_for(lock, duration, [this] { return stopped_; });
    }

    bool stopped() const {
        std::lock_guard lock(mutex_);
        return stopped_;
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            stopped_ = true;
        }
        cv_.notify_all();
    }

    void rearm() {
        std::lock_guard lock(mutex_);
        stopped_ = false;
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    bool stopped_ = false;
};

}  // namespace sluice::emulator
