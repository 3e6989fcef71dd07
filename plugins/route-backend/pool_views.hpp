#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sluice::plugins::route_backend {

/// The /wham/usage payload (codex-protocol §5.2) from the gateway's pool.usage view: the
/// caller's share of the pool's quota (server.quota_view: pool), or the pool's most available
/// account (quota_view: upstream); credits when the view has them. Pure.
nlohmann::json usagePayload(const nlohmann::json& pool_usage);

/// The tasks/rate_limit payload (seed 004) of a pool from each eligible account's own: the
/// representative account's quota, as for usage (the allowed account with the most `remaining`,
/// else the one whose limit lifts first), with `allowed` and `limit_reached` over the whole
/// pool. `per_account` must not be empty. Pure.
nlohmann::json taskRateLimitPayload(const std::vector<nlohmann::json>& per_account);

/// The /wham/accounts/check payload (codex-protocol §8.3) for a client that sees the whole pool
/// as one workspace: the account id it sent (which must appear exactly once), no routing
/// constraint and no backend origin, so the client keeps talking to the gateway. Pure.
nlohmann::json accountsCheckPayload(const std::string& account_id, const std::string& plan_type);

}  // namespace sluice::plugins::route_backend
