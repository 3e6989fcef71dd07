#pragma once

#include <chrono>

#include "core/accounting/recent_traffic.hpp"
#include "core/observability/alerts/alert_rules.hpp"
#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"
#include "core/runtime/replica_link.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::observability::alerts {

/// Where the alert rules' reading comes from. Borrowed; each outlives the monitor.
struct GatewaySources {
    const routing::RoutingTable& routing;
    const routing::RoutePlanner& planner;
    const accounting::RecentTraffic& traffic;
    sdk::StorageBackend& storage;
    const runtime::ReplicaLink* replicas;  ///< null without shared state
    std::chrono::minutes error_rate_window{5};
};

/// The gateway's state at `now`: accounts and pools from the routing snapshot (as the console's
/// capacity overview tallies them), the last `error_rate_window` of traffic, and one storage
/// ping. Blocks on that ping: the monitor's thread only.
Reading readGateway(const GatewaySources& sources, sdk::TimePoint now);

}  // namespace sluice::core::observability::alerts
