#include "core/accounting/recent_traffic.hpp"

#include <chrono>

namespace sluice::core::accounting {

namespace {

std::int64_t minuteOf(sdk::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::minutes>(time.time_since_epoch()).count();
}

std::size_t slotOf(std::int64_t minute) {
    const auto slots = static_cast<std::int64_t>(RecentTraffic::kMinutes);
    return static_cast<std::size_t>(((minute % slots) + slots) % slots);
}

}  // namespace

void RecentTraffic::record(std::string_view pool, sdk::TimePoint started_at, int status) {
    if (pool.empty()) {
        return;
    }
    const std::int64_t minute = minuteOf(started_at);
    std::lock_guard lock(mutex_);
    auto it = pools_.find(pool);
    if (it == pools_.end()) {
        it = pools_.emplace(std::string(pool), Ring{}).first;
    }
    Minute& slot = it->second[slotOf(minute)];
    if (slot.minute > minute) {
        return;  // older than the hour the slot now holds
    }
    if (slot.minute < minute) {
        slot = Minute{minute, 0, 0};
    }
    ++slot.requests;
    slot.errors += status >= 400 ? 1 : 0;
}

std::vector<RecentTraffic::Minute> RecentTraffic::lastHour(std::string_view pool,
                                                           sdk::TimePoint now) const {
    const std::int64_t last = minuteOf(now);
    std::vector<Minute> minutes;
    minutes.reserve(kMinutes);
    std::lock_guard lock(mutex_);
    const auto it = pools_.find(pool);
    for (std::int64_t minute = last - static_cast<std::int64_t>(kMinutes) + 1; minute <= last;
         ++minute) {
        const bool held = it != pools_.end() && it->second[slotOf(minute)].minute == minute;
        minutes.push_back(held ? it->second[slotOf(minute)] : Minute{minute, 0, 0});
    }
    return minutes;
}

}  // namespace sluice::core::accounting
