#include "core/dispatch/dispatch_metrics.hpp"

#include <string>

namespace sluice::core::dispatch {

namespace {

template <std::size_t N>
std::size_t indexOf(const std::array<std::string_view, N>& values, std::string_view value) {
    for (std::size_t i = 0; i < N; ++i) {
        if (values[i] == value) {
            return i;
        }
    }
    return N - 1;
}

}  // namespace

DispatchMetrics::DispatchMetrics(sdk::Metrics& metrics) {
    const AttemptEnd ends[] = {AttemptEnd::Completed, AttemptEnd::Interrupted,
                               AttemptEnd::ClientGone, AttemptEnd::Failover,
                               AttemptEnd::PassThrough};
    for (const AttemptEnd end : ends) {
        attempts_[static_cast<std::size_t>(end)] =
            &metrics.counter("sluice_dispatch_attempts_total",
                             "Upstream attempts by how they ended", {{"end", attemptEndName(end)}});
    }
    for (std::size_t i = 0; i < kReasonClasses.size(); ++i) {
        failovers_[i] = &metrics.counter(
            "sluice_dispatch_failovers_total",
            "Attempts abandoned for another account before any byte reached the client",
            {{"reason", std::string(kReasonClasses[i])}});
    }
    for (std::size_t i = 0; i < kRejectionCodes.size(); ++i) {
        rejections_[i] = &metrics.counter("sluice_dispatch_rejections_total",
                                          "Requests the gateway could not serve from any account",
                                          {{"code", std::string(kRejectionCodes[i])}});
    }
    for (const routing::CircuitState state :
         {routing::CircuitState::Closed, routing::CircuitState::Open,
          routing::CircuitState::HalfOpen}) {
        circuits_[static_cast<std::size_t>(state)] =
            &metrics.counter("sluice_circuit_transitions_total", "Circuit breaker state changes",
                             {{"to", routing::circuitStateName(state)}});
    }
    handoffs_ = &metrics.counter(
        "sluice_dispatch_handoffs_total",
        "Conversations whose pinned account was gone, replayed on another account", {});
}

void DispatchMetrics::attempt(AttemptEnd end) noexcept {
    attempts_[static_cast<std::size_t>(end)]->add();
}

void DispatchMetrics::failover(std::string_view reason_class) noexcept {
    failovers_[indexOf(kReasonClasses, reason_class)]->add();
}

void DispatchMetrics::rejected(std::string_view code) noexcept {
    rejections_[indexOf(kRejectionCodes, code)]->add();
}

void DispatchMetrics::circuit(routing::CircuitState to) noexcept {
    circuits_[static_cast<std::size_t>(to)]->add();
}

}  // namespace sluice::core::dispatch
