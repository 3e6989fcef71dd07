#include "concurrency_limiter.hpp"

namespace sluice::plugins::route_runner {

bool ConcurrencyLimiter::tryAcquire() {
    std::lock_guard lock(mutex_);
    if (shut_down_ || active_ >= max_ || waiting_ > 0) {
        return false;  // queued background runs go first
    }
    ++active_;
    return true;
}

bool ConcurrencyLimiter::acquire() {
    std::unique_lock lock(mutex_);
    ++waiting_;
    freed_.wait(lock, [this] { return shut_down_ || active_ < max_; });
    --waiting_;
    if (shut_down_) {
        return false;
    }
    ++active_;
    return true;
}

void ConcurrencyLimiter::release() {
    {
        std::lock_guard lock(mutex_);
        --active_;
    }
    freed_.notify_one();
}

void ConcurrencyLimiter::shutdown() {
    {
        std::lock_guard lock(mutex_);
        shut_down_ = true;
    }
    freed_.notify_all();
}

int ConcurrencyLimiter::active() const {
    std::lock_guard lock(mutex_);
    return active_;
}

int ConcurrencyLimiter::waiting() const {
    std::lock_guard lock(mutex_);
    return waiting_;
}

}  // namespace sluice::plugins::route_runner
