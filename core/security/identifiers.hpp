#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace sluice::core::security {

/// "<prefix>_<12 hex of ms since epoch><10 hex random>": unique (40 random bits per
/// millisecond), not secret, and sorting by id sorts by creation time.
std::string newRecordId(std::string_view prefix, std::chrono::system_clock::time_point now);

}  // namespace sluice::core::security
