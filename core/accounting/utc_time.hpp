#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/time.hpp"

namespace sluice::core::accounting {

/// RFC 3339 UTC with seconds, e.g. "2026-11-21T19:15:35Z".
std::string rfc3339(sdk::TimePoint time);

/// Usage is counted per UTC calendar day, numbered as days since the Unix epoch
/// (sdk::UsageBucket::day).
std::int64_t unixSeconds(sdk::TimePoint time);
std::int64_t utcDay(sdk::TimePoint time);
/// "YYYY-MM-DD".
std::string utcDayText(std::int64_t day);
/// The day of "YYYY-MM-DD"; nullopt when it is not a valid date.
std::optional<std::int64_t> parseUtcDay(std::string_view text);
/// Seconds from `now` until `day` begins (at least 1), e.g. for Retry-After.
std::int64_t secondsUntilDay(std::int64_t day, sdk::TimePoint now);

}  // namespace sluice::core::accounting
