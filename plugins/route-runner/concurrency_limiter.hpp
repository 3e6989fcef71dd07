#pragma once

#include <condition_variable>
#include <mutex>

namespace sluice::plugins::route_runner {

/// Slots for Codex runs, shared by every source: API callers take one or are refused (429),
/// triggers and the watcher wait in line. Thread-safe.
class ConcurrencyLimiter final {
public:
    explicit ConcurrencyLimiter(int max) : max_(max) {}

    /// Takes a slot if one is free.
    bool tryAcquire();
    /// Waits for a slot; false when the limiter was shut down while waiting.
    bool acquire();
    void release();
    /// Wakes every waiter; later acquire() calls fail at once.
    void shutdown();

    int active() const;
    int waiting() const;
    int max() const noexcept { return max_; }

private:
    const int max_;
    mutable std::mutex mutex_;
    std::condition_variable freed_;
    int active_ = 0;
    int waiting_ = 0;
    bool shut_down_ = false;
};

/// Holds one slot for a scope.
class SlotGuard final {
public:
    explicit SlotGuard(ConcurrencyLimiter& limiter) : limiter_(&limiter) {}
    ~SlotGuard() { limiter_->release(); }
    SlotGuard(const SlotGuard&) = delete;
    SlotGuard& operator=(const SlotGuard&) = delete;

private:
    ConcurrencyLimiter* limiter_;
};

}  // namespace sluice::plugins::route_runner
