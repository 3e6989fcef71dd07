#include "core/ops/route_explain.hpp"

#include "core/ops/schema.hpp"
#include "core/ops/views.hpp"

namespace sluice::core::ops {

nlohmann::json explainRoute(const routing::PoolRoute& pool, const routing::RoutePlanner& planner,
                            const routing::RouteQuery& query, sdk::TimePoint now) {
    const routing::RoutePlan plan = planner.plan(pool, query, {}, 0, pool.pool.ring_size);
    nlohmann::json excluded = nlohmann::json::array();
    for (const auto& exclusion : plan.excluded) {
        excluded.push_back({{"account_id", exclusion.account_id},
                            {"label", exclusion.label},
                            {"reason", exclusion.reason}});
    }
    nlohmann::json order = nlohmann::json::array();
    for (const auto& account : plan.order) {
        order.push_back({{"account_id", account->id},
                         {"label", account->label},
                         {"in_flight", account->state->in_flight.load()},
                         {"demoted", account->state->demotedUntil() > now},
                         {"primary", views::quotaWindow(account->state->primary(now))},
                         {"secondary", views::quotaWindow(account->state->secondary(now))}});
    }
    nlohmann::json explanation{
        {"pool", pool.pool.name},           {"strategy", pool.pool.strategy},
        {"ring_size", pool.pool.ring_size}, {"model", query.model},
        {"accounts", pool.accounts.size()}, {"excluded", std::move(excluded)},
        {"order", std::move(order)}};
    if (!plan.affinity_account.empty()) {
        explanation["affinity_account"] = plan.affinity_account;
    }
    if (pool.strategy == nullptr) {
        explanation["problem"] =
            "the pool's strategy '" + pool.pool.strategy + "' is not configured";
    }
    return explanation;
}

nlohmann::json routeExplanationSchema() {
    namespace s = schema;
    const nlohmann::json excluded = s::shape({{"account_id", s::text("account id")},
                                              {"label", s::text("label")},
                                              {"reason", s::text("why it cannot serve", 1024)}},
                                             {"account_id", "label", "reason"});
    const nlohmann::json tried = s::shape({{"account_id", s::text("account id")},
                                           {"label", s::text("label")},
                                           {"in_flight", s::integer("requests running on it")},
                                           {"demoted", s::boolean("failed recently: tried last")},
                                           {"primary", views::quotaWindowSchema()},
                                           {"secondary", views::quotaWindowSchema()}},
                                          {"account_id", "label", "in_flight", "demoted"});
    return s::shape({{"pool", s::text("pool")},
                     {"strategy", s::text("strategy")},
                     {"ring_size", s::integer("accounts tried per request")},
                     {"model", {{"type", "string"}}},
                     {"accounts", s::integer("accounts in the pool")},
                     {"excluded", s::listOf(excluded)},
                     {"order", s::listOf(tried, "the order the strategy would try, best first")},
                     {"affinity_account", s::text("the account the session is on")},
                     {"problem", s::text("why nothing can be routed", 1024)}},
                    {"pool", "strategy", "ring_size", "model", "accounts", "excluded", "order"});
}

}  // namespace sluice::core::ops
