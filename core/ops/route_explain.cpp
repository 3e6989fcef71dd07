#include "core/ops/route_explain.hpp"

namespace sluice::core::ops {

namespace {

nlohmann::json windowJson(const sdk::QuotaWindow& window) {
    if (!window.known) {
        return nullptr;
    }
    return {{"used_percent", window.used_percent},
            {"window_minutes", window.window_minutes},
            {"resets_at", std::chrono::duration_cast<std::chrono::seconds>(window.resets_at.time_since_epoch()).count()}};
}

}  // namespace

nlohmann::json explainRoute(const routing::PoolRoute& pool, const routing::RoutePlanner& planner,
                            const routing::RouteQuery& query, sdk::TimePoint now) {
    const routing::RoutePlan plan = planner.plan(pool, query, {}, 0, pool.pool.ring_size);
    nlohmann::json excluded = nlohmann::json::array();
    for (const auto& exclusion : plan.excluded) {
        excluded.push_back({{"account_id", exclusion.account_id}, {"label", exclusion.label}, {"reason", exclusion.reason}});
    }
    nlohmann::json order = nlohmann::json::array();
    for (const auto& account : plan.order) {
        order.push_back({{"account_id", account->id},
                         {"label", account->label},
                         {"in_flight", account->state->in_flight.load()},
                         {"demoted", account->state->demotedUntil() > now},
                         {"primary", windowJson(account->state->primary(now))},
                         {"secondary", windowJson(account->state->secondary(now))}});
    }
    nlohmann::json explanation{{"pool", pool.pool.name},
                               {"strategy", pool.pool.strategy},
                               {"ring_size", pool.pool.ring_size},
                               {"model", query.model},
                               {"accounts", pool.accounts.size()},
                               {"excluded", std::move(excluded)},
                               {"order", std::move(order)}};
    if (!plan.affinity_account.empty()) {
        explanation["affinity_account"] = plan.affinity_account;
    }
    if (pool.strategy == nullptr) {
        explanation["problem"] = "the pool's strategy '" + pool.pool.strategy + "' is not configured";
    }
    return explanation;
}

}  // namespace sluice::core::ops
