#pragma once

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_runner {

using TimePoint = std::chrono::system_clock::time_point;

/// When a trigger fires: once at an instant, daily at a wall-clock time in an IANA zone, or
/// every interval.
struct Schedule {
    enum class Mode { Once, Daily, Interval };
    Mode mode = Mode::Once;
    TimePoint at{};                     ///< once
    int hour = 0;                       ///< daily
    int minute = 0;                     ///< daily
    std::string timezone = "UTC";       ///< daily
    std::chrono::milliseconds every{};  ///< interval
};

/// Parses the seed's schedule object: `mode` (inferred when absent: interval if minutes are
/// given, daily if `time`, else once), `at` (ISO), `time` ("HH:MM") with `timezone`|`tz`,
/// `interval_minutes`|`minutes` (> 0, fractions allowed). InvalidArgument names the field.
sdk::Result<Schedule> parseSchedule(const nlohmann::json& schedule);

/// The next instant strictly after `now` the trigger fires, or nullopt (a once-trigger that
/// already fired). Daily: today's HH:MM in the zone if still ahead, else the next day's; a time
/// that does not exist on a spring-forward day fires when the gap ends, and a repeated one at
/// its first occurrence. Interval: the first `base + k*every` after `now`, with `base` the last
/// fire or the creation time (missed slots are skipped, not replayed). Once: `at`, or `now`
/// when `at` has passed and the trigger never fired.
std::optional<TimePoint> nextFire(const Schedule& schedule, TimePoint now,
                                  std::optional<TimePoint> last_fired, TimePoint created_at);

}  // namespace sluice::plugins::route_runner
