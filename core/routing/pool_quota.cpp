#include "core/routing/pool_quota.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "core/routing/eligible_set.hpp"
#include "core/routing/pool_capacity.hpp"

namespace sluice::core::routing {

namespace {

using json = nlohmann::json;

constexpr std::int64_t kFiveHours = 300;
constexpr std::int64_t kWeek = 10080;

/// One window kind summed over the pool.
struct WindowSum {
    double used = 0;
    std::size_t accounts = 0;
    bool known = false;
    std::optional<sdk::TimePoint> resets_at;

    void add(const sdk::QuotaWindow& window, bool used_up, std::optional<sdk::TimePoint> reset,
             sdk::TimePoint now) {
        ++accounts;
        known = known || window.known || used_up;
        used += used_up ? 100.0 : (window.known ? std::clamp(window.used_percent, 0.0, 100.0) : 0);
        if (reset && *reset > now && (!resets_at || *reset < *resets_at)) {
            resets_at = reset;
        }
    }

    std::optional<WindowObservation> view(std::int64_t minutes) const {
        if (!known || accounts == 0) {
            return std::nullopt;
        }
        return WindowObservation{used / static_cast<double>(accounts), minutes, resets_at};
    }
};

std::optional<sdk::TimePoint> resetOf(const sdk::QuotaWindow& window) {
    return window.known && window.resets_at.time_since_epoch().count() != 0
               ? std::optional(window.resets_at)
               : std::nullopt;
}

// 12.0 prints as "12", 12.5 as "12.5": what the backend sends and clients parse as a float.
std::string numberText(double value) {
    const double rounded = std::round(value * 100.0) / 100.0;
    if (rounded == std::floor(rounded)) {
        return std::to_string(static_cast<long long>(rounded));
    }
    std::string text = std::to_string(rounded);
    while (text.back() == '0') {
        text.pop_back();
    }
    return text;
}

std::int64_t unixSeconds(sdk::TimePoint time) {
    return std::chrono::duration_cast<std::chrono::seconds>(time.time_since_epoch()).count();
}

sdk::TimePoint nextUtcMidnight(sdk::TimePoint now) {
    constexpr std::int64_t kDay = 86400;
    return sdk::TimePoint(std::chrono::seconds((unixSeconds(now) / kDay + 1) * kDay));
}

void raiseTo(std::optional<WindowObservation>& window, double used, std::int64_t minutes,
             sdk::TimePoint resets_at) {
    if (!window || used > window->used_percent) {
        window = WindowObservation{std::min(used, 100.0), minutes, resets_at};
    }
}

json windowJson(const std::optional<WindowObservation>& window) {
    if (!window) {
        return nullptr;
    }
    json out{{"used_percent", std::round(window->used_percent * 100.0) / 100.0},
             {"window_minutes", window->window_minutes}};
    if (window->resets_at) {
        out["reset_at"] = unixSeconds(*window->resets_at);
    }
    return out;
}

void addWindowHeaders(sdk::Headers& headers, const char* name,
                      const std::optional<WindowObservation>& window) {
    if (!window) {
        return;
    }
    const std::string prefix = std::string("x-codex-") + name + "-";
    headers.push_back({prefix + "used-percent", numberText(window->used_percent)});
    headers.push_back({prefix + "window-minutes", std::to_string(window->window_minutes)});
    if (window->resets_at) {
        headers.push_back({prefix + "reset-at", std::to_string(unixSeconds(*window->resets_at))});
    }
}

bool startsWith(std::string_view text, std::string_view prefix) {
    return text.size() >= prefix.size() &&
           sdk::equalsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

}  // namespace

PoolQuotaView poolQuota(const PoolRoute& pool, sdk::TimePoint now) {
    WindowSum primary;
    WindowSum secondary;
    std::map<std::string, std::size_t> plans;
    std::optional<CreditsObservation> credits;
    double balance = 0;
    bool any_ready = false;
    for (const RoutedAccountPtr& account : pool.accounts) {
        const AccountCondition condition = standingOf(*account, now);
        if (!isCapacity(condition)) {
            continue;
        }
        any_ready = any_ready || condition == AccountCondition::Ready;
        const AccountState& state = *account->state;
        const bool blocked = condition == AccountCondition::UsageLimited;
        const sdk::QuotaWindow five_hours = state.primary(now);
        const sdk::QuotaWindow week = state.secondary(now);
        primary.add(five_hours, blocked || (five_hours.known && five_hours.used_percent >= 100),
                    blocked ? std::optional(state.blockedUntil()) : resetOf(five_hours), now);
        secondary.add(week, week.known && week.used_percent >= 100, resetOf(week), now);
        const auto reported = state.reported();
        ++plans[reported->plan_type.empty() ? account->plan_type : reported->plan_type];
        if (reported->credits) {
            credits = credits.value_or(CreditsObservation{});
            credits->has_credits = credits->has_credits || reported->credits->has_credits;
            credits->unlimited = credits->unlimited || reported->credits->unlimited;
            balance += reportedNumber(reported->credits->balance).value_or(0);
        }
    }
    PoolQuotaView view;
    view.primary = primary.view(kFiveHours);
    view.secondary = secondary.view(kWeek);
    view.limit_reached = !any_ready;
    if (credits) {
        credits->balance = numberText(balance);
        view.credits = std::move(credits);
    }
    std::size_t most = 0;
    for (const auto& [plan, count] : plans) {
        if (count > most && !plan.empty()) {
            view.plan_type = plan;
            most = count;
        }
    }
    return view;
}

void applyKeyBudget(PoolQuotaView& view, const KeyBudget& budget, sdk::TimePoint now) {
    const sdk::TimePoint midnight = nextUtcMidnight(now);
    if (budget.per_day && *budget.per_day > 0) {
        raiseTo(
            view.primary,
            100.0 * static_cast<double>(budget.used_today) / static_cast<double>(*budget.per_day),
            kFiveHours, midnight);
    }
    if (budget.per_week && *budget.per_week > 0) {
        raiseTo(view.secondary,
                100.0 * static_cast<double>(budget.used_this_week) /
                    static_cast<double>(*budget.per_week),
                kWeek, midnight);
    }
}

sdk::Headers quotaHeaders(const PoolQuotaView& view) {
    sdk::Headers headers;
    addWindowHeaders(headers, "primary", view.primary);
    addWindowHeaders(headers, "secondary", view.secondary);
    if (!view.plan_type.empty()) {
        headers.push_back({"x-codex-plan-type", view.plan_type});
    }
    if (view.credits) {
        headers.push_back(
            {"x-codex-credits-has-credits", view.credits->has_credits ? "true" : "false"});
        headers.push_back(
            {"x-codex-credits-unlimited", view.credits->unlimited ? "true" : "false"});
        headers.push_back({"x-codex-credits-balance", view.credits->balance});
    }
    return headers;
}

bool isQuotaHeader(std::string_view name) noexcept {
    return startsWith(name, "x-codex-primary-") || startsWith(name, "x-codex-secondary-") ||
           startsWith(name, "x-codex-credits-") ||
           sdk::equalsIgnoreCase(name, "x-codex-plan-type") ||
           sdk::equalsIgnoreCase(name, "x-codex-active-limit");
}

std::string rateLimitsEvent(const PoolQuotaView& view) {
    json event{{"type", "codex.rate_limits"},
               {"rate_limits",
                {{"primary", windowJson(view.primary)}, {"secondary", windowJson(view.secondary)}}},
               {"limit_name", "codex"}};
    if (!view.plan_type.empty()) {
        event["plan_type"] = view.plan_type;
    }
    if (view.credits) {
        event["credits"] = {{"has_credits", view.credits->has_credits},
                            {"unlimited", view.credits->unlimited},
                            {"balance", view.credits->balance}};
    }
    return event.dump();
}

}  // namespace sluice::core::routing
