#include "core/ops/pool_usage.hpp"

#include <algorithm>

#include "core/accounting/utc_time.hpp"
#include "core/ops/schema.hpp"

namespace sluice::core::ops {

namespace {

using json = nlohmann::json;
namespace s = schema;

json windowJson(double used_percent, std::int64_t window_minutes, sdk::TimePoint resets_at,
                sdk::TimePoint now) {
    const std::int64_t reset_at = accounting::unixSeconds(resets_at);
    return {
        {"used_percent", static_cast<int>(used_percent + 0.5)},
        {"limit_window_seconds", window_minutes * 60},
        {"reset_after_seconds", std::max<std::int64_t>(0, reset_at - accounting::unixSeconds(now))},
        {"reset_at", reset_at}};
}

json windowJson(const std::optional<routing::WindowObservation>& window, sdk::TimePoint now) {
    if (!window) {
        return nullptr;
    }
    return windowJson(window->used_percent, window->window_minutes, window->resets_at.value_or(now),
                      now);
}

double headroom(const sdk::QuotaWindow& primary, const sdk::QuotaWindow& secondary) {
    double room = 100.0;
    for (const sdk::QuotaWindow* window : {&primary, &secondary}) {
        if (window->known) {
            room = std::min(room, 100.0 - window->used_percent);
        }
    }
    return room;
}

const json kWindowShape = s::nullable(
    s::shape({{"used_percent", s::integer("0..100")},
              {"limit_window_seconds", s::integer("window length")},
              {"reset_after_seconds", s::integer("seconds until it resets")},
              {"reset_at", s::integer("Unix seconds")}},
             {"used_percent", "limit_window_seconds", "reset_after_seconds", "reset_at"}));

}  // namespace

json usageOfView(const routing::PoolQuotaView& view, sdk::TimePoint now) {
    json payload{{"plan_type", view.plan_type.empty() ? "unknown" : view.plan_type},
                 {"rate_limit",
                  {{"allowed", !view.limit_reached},
                   {"limit_reached", view.limit_reached},
                   {"primary_window", windowJson(view.primary, now)},
                   {"secondary_window", windowJson(view.secondary, now)}}}};
    if (view.credits) {
        payload["credits"] = {{"has_credits", view.credits->has_credits},
                              {"unlimited", view.credits->unlimited},
                              {"balance", view.credits->balance}};
    }
    return payload;
}

json usageOfMostAvailable(const routing::PoolRoute& pool, const routing::RoutePlanner& planner,
                          sdk::TimePoint now) {
    const routing::RoutedAccount* best = nullptr;
    bool best_eligible = false;
    double best_room = -1;
    sdk::TimePoint best_reset = sdk::TimePoint::max();
    const routing::RouteQuery any_model;
    for (const auto& account : pool.accounts) {
        const bool eligible = planner.assess(*account, any_model, now).ready();
        const double room = headroom(account->state->primary(now), account->state->secondary(now));
        const sdk::TimePoint reset = std::max(account->state->blockedUntil(),
                                              account->state->exhaustedUntil(now).value_or(now));
        const bool better =
            best == nullptr || (eligible && !best_eligible) ||
            (eligible == best_eligible && (eligible ? room > best_room : reset < best_reset));
        if (better) {
            best = account.get();
            best_eligible = eligible;
            best_room = room;
            best_reset = reset;
        }
    }
    json rate_limit{{"allowed", best_eligible}, {"limit_reached", !best_eligible}};
    if (best != nullptr) {
        for (const auto& [key, window] :
             {std::pair{"primary_window", best->state->primary(now)},
              std::pair{"secondary_window", best->state->secondary(now)}}) {
            if (window.known) {
                rate_limit[key] =
                    windowJson(window.used_percent, window.window_minutes, window.resets_at, now);
            }
        }
    }
    return json{{"plan_type", best != nullptr ? best->plan_type : "unknown"},
                {"rate_limit", std::move(rate_limit)}};
}

json poolUsageSchema() {
    return s::shape(
        {{"plan_type", {{"type", "string"}}},
         {"rate_limit", s::shape({{"allowed", s::boolean("a request would be served now")},
                                  {"limit_reached", s::boolean("no account can serve")},
                                  {"primary_window", kWindowShape},
                                  {"secondary_window", kWindowShape}},
                                 {"allowed", "limit_reached"})},
         {"credits", s::shape({{"has_credits", s::boolean("credits available")},
                               {"unlimited", s::boolean("unlimited credits")},
                               {"balance", s::text("balance")}},
                              {"has_credits", "unlimited", "balance"})}},
        {"plan_type", "rate_limit"});
}

}  // namespace sluice::core::ops
