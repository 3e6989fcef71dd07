#pragma once

#include <vector>

#include "core/routing/eligible_set.hpp"
#include "sluice/sdk/gateway.hpp"

namespace sluice::core::dispatch {

/// Whether every account in `excluded` is out for its quota (a usage limit the upstream
/// reported, or a used-up window) and there is at least one: the pool is exhausted.
bool poolExhausted(const std::vector<routing::Exclusion>& excluded) noexcept;

/// The answer when every account of a pool is exhausted: the backend's own usage-limit answer
/// (429 `usage_limit_reached`, codex-protocol §5.2) for the pool as a whole, naming its earliest
/// reset in `resets_at` and Retry-After, so the Codex client tells its user when to come back
/// instead of retrying. Carried as the outcome's upstream answer, which the Codex surface relays
/// and /v1 translates.
sdk::DispatchOutcome exhaustedOutcome(const std::vector<routing::Exclusion>& excluded,
                                      const std::string& pool, sdk::TimePoint now);

}  // namespace sluice::core::dispatch
