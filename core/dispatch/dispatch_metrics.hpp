#pragma once

#include <array>
#include <string_view>

#include "core/dispatch/attempt_result.hpp"
#include "core/routing/circuit_breaker.hpp"
#include "sluice/sdk/metrics.hpp"

namespace sluice::core::dispatch {

/// Dispatch series, registered once so the request path only touches atomics; label values
/// come from small fixed sets.
class DispatchMetrics final {
public:
    explicit DispatchMetrics(sdk::Metrics& metrics);

    void attempt(AttemptEnd end) noexcept;
    /// `reason_class` is one of kReasonClasses (a FailureRule's metric).
    void failover(std::string_view reason_class) noexcept;
    /// `code` is one of kRejectionCodes.
    void rejected(std::string_view code) noexcept;
    void circuit(routing::CircuitState to) noexcept;
    /// A conversation stuck on its pinned account went on on another one.
    void handoff() noexcept { handoffs_->add(); }

    static constexpr std::array<std::string_view, 10> kReasonClasses{
        "usage_limit", "rate_limited", "server_error", "unauthorized",      "network",
        "timeout",     "stream_cut",   "first_event",  "model_unavailable", "other"};
    static constexpr std::array<std::string_view, 4> kRejectionCodes{
        "pool_unavailable", "no_eligible_account", "pinned_account_unavailable", "upstream_failed"};

private:
    std::array<sdk::Counter*, 5> attempts_{};
    std::array<sdk::Counter*, kReasonClasses.size()> failovers_{};
    std::array<sdk::Counter*, kRejectionCodes.size()> rejections_{};
    std::array<sdk::Counter*, 3> circuits_{};
    sdk::Counter* handoffs_ = nullptr;
};

}  // namespace sluice::core::dispatch
