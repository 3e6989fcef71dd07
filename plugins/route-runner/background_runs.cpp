#include "background_runs.hpp"

#include <thread>

namespace sluice::plugins::route_runner {

BackgroundRuns::~BackgroundRuns() {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [this] { return in_flight_ == 0; });
}

void BackgroundRuns::start(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        ++in_flight_;
    }
    std::thread([this, job = std::move(job)] {
        try {
            job();
        } catch (...) {
            // A job reports its own outcome; nothing may escape a thread.
        }
        std::lock_guard lock(mutex_);
        --in_flight_;
        done_.notify_all();
    }).detach();
}

int BackgroundRuns::inFlight() const {
    std::lock_guard lock(mutex_);
    return in_flight_;
}

}  // namespace sluice::plugins::route_runner
