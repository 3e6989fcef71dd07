#include "trigger_schedule.hpp"

#include <date/tz.h>

#include <sstream>

#include "session_store.hpp"

namespace sluice::plugins::route_runner {

using json = nlohmann::json;
using namespace std::chrono;

namespace {

sdk::Status invalid(const std::string& message) {
    return {sdk::StatusCode::InvalidArgument, message};
}

std::optional<double> minutesOf(const json& schedule) {
    for (const char* key : {"interval_minutes", "minutes"}) {
        const auto it = schedule.find(key);
        if (it != schedule.end() && it->is_number()) {
            return it->get<double>();
        }
    }
    return std::nullopt;
}

std::string stringOf(const json& schedule, const char* key) {
    const auto it = schedule.find(key);
    return it != schedule.end() && it->is_string() ? it->get<std::string>() : std::string();
}

sdk::Status parseDaily(const json& schedule, Schedule& out) {
    const std::string time = stringOf(schedule, "time");
    int hour = -1;
    int minute = -1;
    char colon = 0;
    std::istringstream in(time);
    in >> hour >> colon >> minute;
    if (in.fail() || colon != ':' || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
        in.peek() != std::char_traits<char>::eof()) {
        return invalid("schedule.time must be HH:MM");
    }
    out.hour = hour;
    out.minute = minute;
    std::string zone = stringOf(schedule, "timezone");
    zone = zone.empty() ? stringOf(schedule, "tz") : zone;
    out.timezone = zone.empty() ? "UTC" : zone;
    try {
        date::locate_zone(out.timezone);
    } catch (const std::exception&) {
        return invalid("schedule.timezone '" + out.timezone + "' is not an IANA time zone");
    }
    return sdk::Status::success();
}

TimePoint dailyAt(const Schedule& schedule, const date::time_zone& zone, date::local_days day) {
    const date::local_time<minutes> wanted = day + hours(schedule.hour) + minutes(schedule.minute);
    const date::local_info info = zone.get_info(wanted);
    if (info.result == date::local_info::nonexistent) {
        return time_point_cast<system_clock::duration>(info.second.begin);
    }
    return time_point_cast<system_clock::duration>(zone.to_sys(wanted, date::choose::earliest));
}

}  // namespace

sdk::Result<Schedule> parseSchedule(const json& schedule) {
    if (!schedule.is_object()) {
        return invalid("schedule must be an object");
    }
    Schedule out;
    std::string mode = stringOf(schedule, "mode");
    if (mode.empty()) {
        mode = minutesOf(schedule) ? "interval" : schedule.contains("time") ? "daily" : "once";
    }
    if (mode == "interval") {
        const auto minutes = minutesOf(schedule);
        if (!minutes || *minutes <= 0) {
            return invalid("schedule.interval_minutes must be a number above 0");
        }
        out.mode = Schedule::Mode::Interval;
        out.every = milliseconds(static_cast<std::int64_t>(*minutes * 60'000));
        if (out.every < milliseconds(100)) {
            return invalid("schedule.interval_minutes is too small");
        }
        return out;
    }
    if (mode == "daily") {
        out.mode = Schedule::Mode::Daily;
        if (auto status = parseDaily(schedule, out); !status.ok()) {
            return status;
        }
        return out;
    }
    if (mode == "once") {
        const auto at = parseIsoTime(stringOf(schedule, "at"));
        if (!at) {
            return invalid("schedule.at must be an ISO 8601 timestamp");
        }
        out.mode = Schedule::Mode::Once;
        out.at = *at;
        return out;
    }
    return invalid("schedule.mode must be once, daily or interval");
}

std::optional<TimePoint> nextFire(const Schedule& schedule, TimePoint now,
                                  std::optional<TimePoint> last_fired, TimePoint created_at) {
    switch (schedule.mode) {
        case Schedule::Mode::Once:
            if (last_fired) {
                return std::nullopt;
            }
            return schedule.at > now ? schedule.at : now;
        case Schedule::Mode::Interval: {
            const TimePoint base = last_fired.value_or(created_at);
            if (base > now) {
                return base + schedule.every;
            }
            const auto steps = (now - base) / schedule.every + 1;
            return base + steps * schedule.every;
        }
        case Schedule::Mode::Daily: {
            const date::time_zone* zone = date::locate_zone(schedule.timezone);
            const auto today = floor<date::days>(zone->to_local(now));
            for (int offset = -1; offset <= 2; ++offset) {
                const TimePoint candidate = dailyAt(schedule, *zone, today + date::days(offset));
                if (candidate > now) {
                    return candidate;
                }
            }
            return std::nullopt;
        }
    }
    return std::nullopt;
}

}  // namespace sluice::plugins::route_runner
