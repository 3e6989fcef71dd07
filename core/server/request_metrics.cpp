#include "core/server/request_metrics.hpp"

#include <string>

namespace sluice::core::server {

namespace {

constexpr const char* kStatusNames[] = {"1xx", "2xx", "3xx", "4xx", "5xx"};
const std::vector<double> kLatencyBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                         0.5,    1,     2.5,    5,     10,   30,    60,   300};

}  // namespace

RequestMetrics::RequestMetrics(sdk::Metrics& metrics) {
    for (std::size_t c = 0; c <= kRouteClasses; ++c) {
        // The extra last slot counts requests that matched no route (404s, built-ins).
        const std::string route_class =
            c < kRouteClasses ? sdk::routeClassName(static_cast<sdk::RouteClass>(c)) : "none";
        for (std::size_t s = 0; s < kStatusClasses; ++s) {
            requests_[c][s] = &metrics.counter(
                "sluice_http_requests_total", "Requests answered, by route class and status class",
                {{"route_class", route_class}, {"status", kStatusNames[s]}});
        }
        durations_[c] = &metrics.histogram("sluice_http_request_duration_seconds",
                                           "Time from request to the end of the response",
                                           {{"route_class", route_class}}, kLatencyBounds);
    }
    in_flight_ = &metrics.gauge("sluice_http_in_flight_requests", "Requests being handled now", {});
}

std::size_t RequestMetrics::statusClass(int status) noexcept {
    const int hundreds = status / 100;
    return hundreds >= 1 && hundreds <= 5 ? static_cast<std::size_t>(hundreds - 1) : 4;
}

void RequestMetrics::record(sdk::RouteClass route_class, int status, double seconds) noexcept {
    const auto c = static_cast<std::size_t>(route_class);
    const std::size_t index = c < kRouteClasses ? c : kRouteClasses;
    requests_[index][statusClass(status)]->add();
    durations_[index]->observe(seconds);
}

void RequestMetrics::recordUnrouted(int status) noexcept {
    requests_[kRouteClasses][statusClass(status)]->add();
}

}  // namespace sluice::core::server
