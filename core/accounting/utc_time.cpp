#include "core/accounting/utc_time.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace sluice::core::accounting {

namespace {
constexpr std::int64_t kSecondsPerDay = 86'400;
}  // namespace

std::string rfc3339(sdk::TimePoint time) {
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(time.time_since_epoch());
    return Poco::DateTimeFormatter::format(Poco::Timestamp(micros.count()), "%Y-%m-%dT%H:%M:%SZ");
}

std::int64_t unixSeconds(sdk::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

std::int64_t utcDay(sdk::TimePoint time) {
    const std::int64_t seconds = unixSeconds(time);
    return seconds / kSecondsPerDay - (seconds % kSecondsPerDay < 0 ? 1 : 0);
}

std::string utcDayText(std::int64_t day) {
    const std::chrono::sys_days date{std::chrono::days(day)};
    const std::chrono::year_month_day ymd{date};
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    return text;
}

std::optional<std::int64_t> parseUtcDay(std::string_view text) {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    char tail = 0;
    if (text.size() != 10 ||
        std::sscanf(std::string(text).c_str(), "%4d-%2u-%2u%c", &year, &month, &day, &tail) != 3) {
        return std::nullopt;
    }
    const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(month),
                                           std::chrono::day(day)};
    if (!date.ok()) {
        return std::nullopt;
    }
    return std::chrono::sys_days(date).time_since_epoch().count();
}

std::int64_t secondsUntilDay(std::int64_t day, sdk::TimePoint now) {
    return std::max<std::int64_t>(1, day * kSecondsPerDay - unixSeconds(now));
}

}  // namespace sluice::core::accounting
