#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sluice/sdk/export.hpp"

namespace sluice::sdk {

/// Fixed label values chosen when the series is created; never per-request values (cardinality).
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

/// Handles are host-owned and valid for the host's lifetime; updates are lock-free.
class SLUICE_SDK_API Counter {
public:
    virtual ~Counter() = default;
    virtual void add(std::uint64_t amount = 1) noexcept = 0;
};

class SLUICE_SDK_API Gauge {
public:
    virtual ~Gauge() = default;
    virtual void set(double value) noexcept = 0;
    virtual void add(double delta) noexcept = 0;
};

class SLUICE_SDK_API Histogram {
public:
    virtual ~Histogram() = default;
    virtual void observe(double value) noexcept = 0;
};

/// Registers series at create() time (names `sluice_<area>_<what>_<unit>`). Registering the same
/// name and labels twice returns the same handle. Thread-safe.
class SLUICE_SDK_API Metrics {
public:
    virtual ~Metrics() = default;

    virtual Counter& counter(std::string_view name, std::string_view help,
                             const MetricLabels& labels) = 0;
    virtual Gauge& gauge(std::string_view name, std::string_view help,
                         const MetricLabels& labels) = 0;
    /// `bounds` are the upper bounds of the buckets, ascending.
    virtual Histogram& histogram(std::string_view name, std::string_view help,
                                 const MetricLabels& labels, const std::vector<double>& bounds) = 0;
};

}  // namespace sluice::sdk
