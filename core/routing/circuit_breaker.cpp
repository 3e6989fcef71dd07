#include "core/routing/circuit_breaker.hpp"

namespace sluice::core::routing {

const char* circuitStateName(CircuitState state) noexcept {
    switch (state) {
        case CircuitState::Closed:
            return "closed";
        case CircuitState::Open:
            return "open";
        case CircuitState::HalfOpen:
            return "half_open";
    }
    return "unknown";
}

bool CircuitBreaker::admits(Clock::time_point now) const noexcept {
    switch (state_) {
        case CircuitState::Closed:
            return true;
        case CircuitState::Open:
            return now >= next_probe_at_;
        case CircuitState::HalfOpen:
            return !probe_in_flight_;
    }
    return false;
}

bool CircuitBreaker::tryAcquire(Clock::time_point now) noexcept {
    switch (state_) {
        case CircuitState::Closed:
            return true;
        case CircuitState::Open:
            if (now < next_probe_at_) {
                return false;
            }
            state_ = CircuitState::HalfOpen;
            probe_in_flight_ = true;
            return true;
        case CircuitState::HalfOpen:
            if (probe_in_flight_) {
                return false;
            }
            probe_in_flight_ = true;
            return true;
    }
    return false;
}

bool CircuitBreaker::onSuccess() noexcept {
    consecutive_failures_ = 0;
    probe_in_flight_ = false;
    if (state_ == CircuitState::Closed) {
        return false;
    }
    state_ = CircuitState::Closed;
    return true;
}

bool CircuitBreaker::onFailure(Clock::time_point now) noexcept {
    probe_in_flight_ = false;
    if (state_ == CircuitState::HalfOpen ||
        (state_ == CircuitState::Closed && ++consecutive_failures_ >= kFailureThreshold)) {
        state_ = CircuitState::Open;
        next_probe_at_ = now + kOpenFor;
        consecutive_failures_ = 0;
        return true;
    }
    return false;
}

void CircuitBreaker::onNeutral() noexcept {
    probe_in_flight_ = false;
}

}  // namespace sluice::core::routing
