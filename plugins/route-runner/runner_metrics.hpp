#pragma once

#include <array>

#include "run_request.hpp"
#include "sluice/sdk/metrics.hpp"

namespace sluice::plugins::route_runner {

/// Runs by outcome and source, the queue of background runs waiting for a slot, active runs and
/// run durations. Labels come from fixed sets. Handles are host-owned; thread-safe.
class RunnerMetrics final {
public:
    static constexpr std::array<const char*, 6> kOutcomes{
        "completed", "error", "timeout", "rejected_busy", "rejected_conflict", "rejected_invalid"};

    explicit RunnerMetrics(sdk::Metrics& metrics);

    void outcome(RunSource source, const char* outcome) noexcept;
    void duration(double seconds) noexcept { duration_->observe(seconds); }
    sdk::Gauge& queueDepth() noexcept { return *queue_depth_; }
    sdk::Gauge& active() noexcept { return *active_; }
    void webhook(bool delivered) noexcept { (delivered ? webhook_ok_ : webhook_failed_)->add(); }

private:
    std::array<std::array<sdk::Counter*, kOutcomes.size()>, 3> runs_{};
    sdk::Histogram* duration_;
    sdk::Gauge* queue_depth_;
    sdk::Gauge* active_;
    sdk::Counter* webhook_ok_;
    sdk::Counter* webhook_failed_;
};

}  // namespace sluice::plugins::route_runner
