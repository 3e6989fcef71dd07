#include "trigger_schedule.hpp"

#include <gtest/gtest.h>

#include "session_store.hpp"

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;

TimePoint at(const std::string& iso) {
    return parseIsoTime(iso).value();
}

std::string next(const json& schedule, const std::string& now,
                 std::optional<std::string> last = std::nullopt,
                 const std::string& created = "2026-01-01T00:00:00Z") {
    auto parsed = parseSchedule(schedule);
    EXPECT_TRUE(parsed.ok()) << parsed.status().message();
    const auto fire =
        nextFire(parsed.value(), at(now), last ? std::optional<TimePoint>(at(*last)) : std::nullopt,
                 at(created));
    return fire ? isoTime(*fire) : "never";
}

TEST(TriggerScheduleTest, DailyInChicagoAcrossSpringForwardAndFallBack) {
    const json daily = {{"mode", "daily"}, {"time", "14:00"}, {"timezone", "America/Chicago"}};
    // CST (UTC-6) before 2026-03-08, CDT (UTC-5) after.
    EXPECT_EQ(next(daily, "2026-03-07T19:00:00Z"), "2026-03-07T20:00:00.000Z");
    EXPECT_EQ(next(daily, "2026-03-07T20:00:01Z"), "2026-03-08T19:00:00.000Z");
    // Back to CST on 2026-11-01.
    EXPECT_EQ(next(daily, "2026-10-31T19:00:01Z"), "2026-11-01T20:00:00.000Z");
}

TEST(TriggerScheduleTest, DailyInBerlinAtTimesTheChangeSkipsOrRepeats) {
    // 2026-03-29 02:30 does not exist in Berlin (02:00 CET -> 03:00 CEST): fires when the gap
    // ends, 03:00 CEST = 01:00 UTC.
    const json gap = {{"time", "02:30"}, {"timezone", "Europe/Berlin"}};
    EXPECT_EQ(next(gap, "2026-03-28T12:00:00Z"), "2026-03-29T01:00:00.000Z");
    EXPECT_EQ(next(gap, "2026-03-29T01:00:00Z"), "2026-03-30T00:30:00.000Z");
    // 2026-10-25 02:30 happens twice (CEST, then CET): the first, 00:30 UTC, and only once.
    const json repeat = {{"time", "02:30"}, {"tz", "Europe/Berlin"}};
    EXPECT_EQ(next(repeat, "2026-10-24T12:00:00Z"), "2026-10-25T00:30:00.000Z");
    EXPECT_EQ(next(repeat, "2026-10-25T00:30:00Z"), "2026-10-26T01:30:00.000Z");
}

TEST(TriggerScheduleTest, DailyDefaultsToUtc) {
    EXPECT_EQ(next({{"time", "09:15"}}, "2026-06-01T10:00:00Z"), "2026-06-02T09:15:00.000Z");
}

TEST(TriggerScheduleTest, IntervalSkipsMissedSlots) {
    const json every = {{"interval_minutes", 0.02}};  // 1.2 s
    EXPECT_EQ(next(every, "2026-01-01T00:00:00.500Z"), "2026-01-01T00:00:01.200Z");
    EXPECT_EQ(next({{"minutes", 10}}, "2026-01-01T01:05:00Z", "2026-01-01T00:00:00Z"),
              "2026-01-01T01:10:00.000Z");
}

TEST(TriggerScheduleTest, OnceFiresAtItsInstantOrAtOnceWhenOverdueAndNeverAgain) {
    const json once = {{"mode", "once"}, {"at", "2026-05-01T12:00:00Z"}};
    EXPECT_EQ(next(once, "2026-05-01T11:00:00Z"), "2026-05-01T12:00:00.000Z");
    EXPECT_EQ(next(once, "2026-05-02T00:00:00Z"), "2026-05-02T00:00:00.000Z");
    EXPECT_EQ(next(once, "2026-05-02T00:00:00Z", "2026-05-01T12:00:00Z"), "never");
}

TEST(TriggerScheduleTest, RefusesBadSchedules) {
    for (const json& bad :
         {json("daily"), json{{"mode", "daily"}, {"time", "25:00"}},
          json{{"time", "10:00"}, {"timezone", "Mars/Olympus"}}, json{{"interval_minutes", 0}},
          json{{"mode", "once"}, {"at", "tomorrow"}}, json{{"mode", "weekly"}}}) {
        EXPECT_FALSE(parseSchedule(bad).ok()) << bad.dump();
    }
}

}  // namespace
}  // namespace sluice::plugins::route_runner
