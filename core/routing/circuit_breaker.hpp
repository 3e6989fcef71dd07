#pragma once

#include <chrono>
#include <cstdint>

namespace sluice::core::routing {

enum class CircuitState { Closed, Open, HalfOpen };

const char* circuitStateName(CircuitState state) noexcept;

/// Guards one (account, model, route class): after `failure_threshold` consecutive failures it
/// opens for `open_for`; then exactly one request probes (half-open); a success closes it, a
/// failure reopens it. Not thread-safe on its own: the owner serialises access.
class CircuitBreaker final {
public:
    using Clock = std::chrono::steady_clock;

    static constexpr std::uint32_t kFailureThreshold = 3;
    static constexpr std::chrono::seconds kOpenFor{60};

    CircuitState state() const noexcept { return state_; }
    /// Whether an attempt could start now (read-only; used by eligibility).
    bool admits(Clock::time_point now) const noexcept;
    /// Claims the right to attempt now; in half-open only one caller wins the probe.
    bool tryAcquire(Clock::time_point now) noexcept;
    /// Outcomes of an acquired attempt. Each returns true when the state changed.
    bool onSuccess() noexcept;
    bool onFailure(Clock::time_point now) noexcept;
    /// The attempt never reached the upstream: release a probe without judging.
    void onNeutral() noexcept;
    Clock::time_point reopensAt() const noexcept { return next_probe_at_; }

private:
    CircuitState state_ = CircuitState::Closed;
    std::uint32_t consecutive_failures_ = 0;
    Clock::time_point next_probe_at_{};
    bool probe_in_flight_ = false;
};

}  // namespace sluice::core::routing
