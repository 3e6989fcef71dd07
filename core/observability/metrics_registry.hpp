#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

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

    /// Makes `samples` the only series of the gauge `name`: series not among them disappear.
    /// For a family one collector owns alone, whose label values come and go (e.g. one series
    /// per wallet); never mix with gauge() on the same name, whose references it would end.
    void replaceGauges(std::string_view name, std::string_view help,
                       const std::vector<std::pair<sdk::MetricLabels, double>>& samples);

    /// Runs `refresh` before every rendering, e.g. to set gauges computed from live state,
    /// until removed with the returned id.
    std::size_t addCollector(std::function<void()> refresh);
    void removeCollector(std::size_t id);
    std::string renderPrometheus() const;

private:
    struct Family;
    Family& family(std::string_view name, std::string_view help, const char* type);

    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Family>, std::less<>> families_;
    std::map<std::size_t, std::function<void()>> collectors_;
    std::size_t next_collector_ = 0;
};

}  // namespace sluice::core::observability
