#pragma once

#include <array>

#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/route_class.hpp"

namespace sluice::core::server {

/// Series for every request, created once so the request path only touches atomics.
/// Labels stay bounded: route class x status class.
class RequestMetrics final {
public:
    explicit RequestMetrics(sdk::Metrics& metrics);

    void record(sdk::RouteClass route_class, int status, double seconds) noexcept;
    void recordUnrouted(int status) noexcept;
    sdk::Gauge& inFlight() noexcept { return *in_flight_; }

private:
    static constexpr std::size_t kRouteClasses = 8;
    static constexpr std::size_t kStatusClasses = 5;

    static std::size_t statusClass(int status) noexcept;

    std::array<std::array<sdk::Counter*, kStatusClasses>, kRouteClasses + 1> requests_{};
    std::array<sdk::Histogram*, kRouteClasses + 1> durations_{};
    sdk::Gauge* in_flight_ = nullptr;
};

}  // namespace sluice::core::server
