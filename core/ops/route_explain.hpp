#pragma once

#include <nlohmann/json.hpp>

#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"

namespace sluice::core::ops {

/// A dry run of routing for one request shape: which accounts are excluded and why, and the
/// order the pool's strategy would try the rest in (up to the ring size). No side effects.
/// Shared by `sluice route explain`, the admin route-preview and the MCP explain-route tool.
nlohmann::json explainRoute(const routing::PoolRoute& pool, const routing::RoutePlanner& planner,
                            const routing::RouteQuery& query, sdk::TimePoint now);
/// The JSON Schema of explainRoute's result.
nlohmann::json routeExplanationSchema();

}  // namespace sluice::core::ops
