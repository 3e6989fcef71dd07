#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>

#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"
#include "sluice/sdk/metrics.hpp"

namespace sluice::core::routing {

/// `sluice_accounts{pool, condition}`: how many of each pool's accounts are in each condition,
/// recomputed from the live routing snapshot when metrics are scraped. Labels are bounded by
/// the configured pools and the fixed set of conditions.
class AccountGauges final {
public:
    AccountGauges(sdk::Metrics& metrics, const RoutingTable& routing, const RoutePlanner& planner,
                  const sdk::Clock& clock)
        : metrics_(metrics), routing_(routing), planner_(planner), clock_(clock) {}

    void refresh();

private:
    using PoolGauges = std::array<sdk::Gauge*, kAccountConditions>;
    PoolGauges& gaugesOf(const std::string& pool);

    sdk::Metrics& metrics_;
    const RoutingTable& routing_;
    const RoutePlanner& planner_;
    const sdk::Clock& clock_;
    std::mutex mutex_;
    std::map<std::string, PoolGauges> pools_;  ///< every pool ever seen; removed pools read 0
};

}  // namespace sluice::core::routing
