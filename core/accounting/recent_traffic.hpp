#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/time.hpp"

namespace sluice::core::accounting {

/// Requests and errors per pool over the last hour, one bucket per UTC minute, kept in memory
/// for the operator console's charts. Counts what this gateway process served: fed by the
/// request-log writer's thread as it takes each settled request (never by a request thread),
/// read by operator operations. Thread-safe; each call holds one short lock.
class RecentTraffic final {
public:
    static constexpr std::size_t kMinutes = 60;

    struct Minute {
        std::int64_t minute = 0;  ///< minutes since the Unix epoch (UTC)
        std::uint64_t requests = 0;
        std::uint64_t errors = 0;  ///< answered with an HTTP status of 400 or more
    };

    /// Counts a request of `pool` that started at `started_at` and was answered with `status`.
    /// Requests of no pool (refused before a key was known) are not counted; a minute whose
    /// slot a later minute took (an hour on) is gone.
    void record(std::string_view pool, sdk::TimePoint started_at, int status);
    /// The kMinutes minutes up to and including `now`'s, oldest first (quiet minutes as zeros).
    std::vector<Minute> lastHour(std::string_view pool, sdk::TimePoint now) const;

private:
    using Ring = std::array<Minute, kMinutes>;

    mutable std::mutex mutex_;
    std::map<std::string, Ring, std::less<>> pools_;
};

}  // namespace sluice::core::accounting
