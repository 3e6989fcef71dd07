#include "core/routing/account_gauges.hpp"

namespace sluice::core::routing {

AccountGauges::PoolGauges& AccountGauges::gaugesOf(const std::string& pool) {
    auto [it, inserted] = pools_.try_emplace(pool);
    if (inserted) {
        for (std::size_t i = 0; i < kAccountConditions; ++i) {
            it->second[i] = &metrics_.gauge(
                "sluice_accounts", "Upstream accounts by pool and whether they can serve now",
                {{"pool", pool},
                 {"condition", accountConditionName(static_cast<AccountCondition>(i))}});
        }
    }
    return it->second;
}

void AccountGauges::refresh() {
    const RoutingSnapshotPtr snapshot = routing_.snapshot();
    const sdk::TimePoint now = clock_.now();
    const RouteQuery any_model;
    std::lock_guard lock(mutex_);
    std::map<std::string, std::array<double, kAccountConditions>> counts;
    for (const auto& [name, pool] : snapshot->pools) {
        auto& pool_counts = counts[name];
        pool_counts.fill(0);
        for (const auto& account : pool.accounts) {
            pool_counts[static_cast<std::size_t>(
                planner_.assess(*account, any_model, now).condition)] += 1;
        }
        gaugesOf(name);
    }
    for (auto& [name, gauges] : pools_) {
        const auto it = counts.find(name);
        for (std::size_t i = 0; i < kAccountConditions; ++i) {
            gauges[i]->set(it == counts.end() ? 0.0 : it->second[i]);
        }
    }
}

}  // namespace sluice::core::routing
