#include "runner_metrics.hpp"

#include <cstring>

namespace sluice::plugins::route_runner {

RunnerMetrics::RunnerMetrics(sdk::Metrics& metrics) {
    for (const RunSource source : {RunSource::Api, RunSource::Trigger, RunSource::Watcher}) {
        for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
            runs_[static_cast<std::size_t>(source)][i] =
                &metrics.counter("sluice_runner_runs_total", "Codex runs by source and outcome",
                                 {{"source", runSourceName(source)}, {"outcome", kOutcomes[i]}});
        }
    }
    duration_ = &metrics.histogram("sluice_runner_run_duration_seconds",
                                   "Wall time of Codex runs, spawn to exit", {},
                                   {0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 1800});
    queue_depth_ = &metrics.gauge("sluice_runner_queue_depth",
                                  "Trigger and watcher runs waiting for a slot", {});
    active_ = &metrics.gauge("sluice_runner_active_runs", "Codex runs in progress", {});
    webhook_ok_ = &metrics.counter("sluice_runner_webhooks_total", "Webhook deliveries",
                                   {{"outcome", "delivered"}});
    webhook_failed_ = &metrics.counter("sluice_runner_webhooks_total", "Webhook deliveries",
                                       {{"outcome", "failed"}});
}

void RunnerMetrics::outcome(RunSource source, const char* outcome) noexcept {
    for (std::size_t i = 0; i < kOutcomes.size(); ++i) {
        if (std::strcmp(kOutcomes[i], outcome) == 0) {
            runs_[static_cast<std::size_t>(source)][i]->add();
            return;
        }
    }
}

}  // namespace sluice::plugins::route_runner
