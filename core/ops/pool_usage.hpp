#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "core/routing/pool_quota.hpp"
#include "core/routing/route_planner.hpp"

namespace sluice::core::ops {

/// The pool.usage payload (codex-protocol §5.2's shape) from the pool's quota view for the
/// caller: both windows, the plan, the credits when known, and whether any account can serve.
nlohmann::json usageOfView(const routing::PoolQuotaView& view, sdk::TimePoint now);

/// The pool.usage payload when clients see the upstream's own numbers (server.quota_view:
/// upstream): the account a request would most likely get (eligible, most headroom), else the
/// one whose limit lifts first, so clients see when capacity returns.
nlohmann::json usageOfMostAvailable(const routing::PoolRoute& pool,
                                    const routing::RoutePlanner& planner, sdk::TimePoint now);

/// The JSON schema of both payloads.
nlohmann::json poolUsageSchema();

}  // namespace sluice::core::ops
