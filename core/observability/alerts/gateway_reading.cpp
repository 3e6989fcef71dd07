#include "core/observability/alerts/gateway_reading.hpp"

namespace sluice::core::observability::alerts {

namespace {

void addTraffic(PoolReading& pool, const accounting::RecentTraffic& traffic,
                std::chrono::minutes window, sdk::TimePoint now) {
    const auto minutes = traffic.lastHour(pool.name, now);
    const auto wanted =
        std::min<std::size_t>(static_cast<std::size_t>(window.count()), minutes.size());
    for (std::size_t i = minutes.size() - wanted; i < minutes.size(); ++i) {
        pool.requests += minutes[i].requests;
        pool.errors += minutes[i].errors;
    }
}

}  // namespace

Reading readGateway(const GatewaySources& sources, sdk::TimePoint now) {
    Reading reading;
    reading.at = now;
    const routing::RoutingSnapshotPtr snapshot = sources.routing.snapshot();
    const routing::RouteQuery any_model;
    const routing::ConditionOf condition_of = [&](const routing::RoutedAccount& account) {
        return sources.planner.assess(account, any_model, now).condition;
    };
    for (const auto& [name, pool] : snapshot->pools) {
        PoolReading read{name, routing::poolCapacity(pool, condition_of, now), 0, 0};
        addTraffic(read, sources.traffic, sources.error_rate_window, now);
        reading.pools.push_back(std::move(read));
        for (const routing::RoutedAccountPtr& account : pool.accounts) {
            routing::Eligibility eligibility = sources.planner.assess(*account, any_model, now);
            reading.accounts.push_back({account->id, account->label, name, eligibility.condition,
                                        std::move(eligibility.reason)});
        }
    }
    reading.storage_unreachable = !sources.storage.ping().ok();
    if (sources.replicas != nullptr) {
        reading.shared_state_problem = sources.replicas->degraded();
    }
    return reading;
}

}  // namespace sluice::core::observability::alerts
