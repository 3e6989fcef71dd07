#include "core/accounting/recent_traffic.hpp"

#include <gtest/gtest.h>

namespace sluice::core::accounting {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// 2026-12-07T18:00:00Z, on a minute's start.
const sdk::TimePoint kHour{seconds(1'796'666'400)};

TEST(RecentTrafficTest, CountsRequestsAndErrorsPerPoolPerMinuteOldestFirst) {
    RecentTraffic traffic;
    traffic.record("team", kHour + seconds(5), 200);
    traffic.record("team", kHour + seconds(50), 502);
    traffic.record("team", kHour + minutes(2), 429);
    traffic.record("night", kHour, 200);
    traffic.record("", kHour, 401);  // no pool: refused before a key was known

    const auto hour = traffic.lastHour("team", kHour + minutes(2) + seconds(30));
    ASSERT_EQ(hour.size(), RecentTraffic::kMinutes);
    const auto& last = hour.back();
    EXPECT_EQ(last.requests, 1u);
    EXPECT_EQ(last.errors, 1u);
    const auto& first_minute = hour[hour.size() - 3];
    EXPECT_EQ(first_minute.minute * 60,
              std::chrono::duration_cast<seconds>(kHour.time_since_epoch()).count());
    EXPECT_EQ(first_minute.requests, 2u);
    EXPECT_EQ(first_minute.errors, 1u);
    EXPECT_EQ(hour[hour.size() - 2].requests, 0u);  // a quiet minute
    EXPECT_EQ(traffic.lastHour("night", kHour)[RecentTraffic::kMinutes - 1].requests, 1u);
    EXPECT_EQ(traffic.lastHour("absent", kHour).size(), RecentTraffic::kMinutes);
}

TEST(RecentTrafficTest, AMinuteAnHourOldMakesWayAndLateRowsOfItAreDropped) {
    RecentTraffic traffic;
    traffic.record("team", kHour, 200);
    traffic.record("team", kHour + minutes(60), 200);  // the same slot, an hour on
    traffic.record("team", kHour + seconds(10), 500);  // written late: its minute is gone
    const auto hour = traffic.lastHour("team", kHour + minutes(60));
    std::uint64_t requests = 0;
    std::uint64_t errors = 0;
    for (const auto& minute : hour) {
        requests += minute.requests;
        errors += minute.errors;
    }
    EXPECT_EQ(requests, 1u);
    EXPECT_EQ(errors, 0u);
    EXPECT_EQ(hour.front().minute, hour.back().minute - 59);
}

}  // namespace
}  // namespace sluice::core::accounting
