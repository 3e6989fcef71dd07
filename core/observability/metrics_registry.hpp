#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "sluice/sdk/metrics.hpp"

namespace sluice::core::observability {

/// The host's metrics: lock-free series updates, a mutex only when a series is created or the
/// registry is rendered. Renders the Prometheus text exposition format (version 0.0.4).
class MetricsRegistry final : public sdk::Metrics {
public:
    MetricsRegistry();
    ~MetricsRegistry() override;

    sdk::Counter& counter(std::string_view name, std::string_view help,
                          const sdk::MetricLabels& labels) override;
    sdk::Gauge& gauge(std::string_view name, std::string_view help,
                      const sdk::MetricLabels& labels) override;
    sdk::Histogram& histogram(std::string_view name, std::string_view help,
                              const sdk::MetricLabels& labels,
                              const std::vector<double>& bounds) override;

    std::string renderPrometheus() const;

private:
    struct Family;
    Family& family(std::string_view name, std::string_view help, const char* type);

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
};

}  // namespace sluice::core::observability
