#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/routing/quota_evidence.hpp"
#include "core/routing/routing_table.hpp"

namespace sluice::core::routing {

/// A pool's quota as its clients read it: one 5 h window and one weekly window for the pool as
/// a whole, instead of the numbers of whichever account served an answer. Shown to Codex clients
/// in x-codex-* headers, codex.rate_limits events and the usage routes, so the CLI's /status
/// and its own throttling follow the pool.
struct PoolQuotaView {
    std::optional<WindowObservation> primary;    ///< the 5 h window
    std::optional<WindowObservation> secondary;  ///< the weekly window
    std::string plan_type;                       ///< the plan most of the pool's accounts have
    std::optional<CreditsObservation> credits;   ///< summed over the pool, when any reported
    bool limit_reached = false;                  ///< no account of the pool can serve now
};

/// The pool's windows from what the gateway knows of each account that can serve or will again
/// by itself (paused, disabled and logged-out accounts are no capacity): each window's used
/// share is the mean of the accounts' (unknown counts as unused, a usage-limited account as
/// used up), and it resets when the first account's window does. Reads account state only.
PoolQuotaView poolQuota(const PoolRoute& pool, sdk::TimePoint now);

/// A key's own budget (its policy's tokens_per_day / tokens_per_week) and what it used.
struct KeyBudget {
    std::optional<std::uint64_t> per_day;
    std::uint64_t used_today = 0;
    std::optional<std::uint64_t> per_week;
    std::uint64_t used_this_week = 0;
};

/// The key's share of the pool: a window reads at least the part of the key's own budget used
/// (daily budget against the 5 h window, weekly against the weekly one), resetting when the
/// budget does (the next UTC midnight).
void applyKeyBudget(PoolQuotaView& view, const KeyBudget& budget, sdk::TimePoint now);

/// The view as x-codex-* response headers (codex-protocol §5.1, and §12's plan type).
sdk::Headers quotaHeaders(const PoolQuotaView& view);
/// Whether `name` is one of the quota headers an upstream answer carries (windows, credits,
/// plan type, active limit): the headers the view replaces.
bool isQuotaHeader(std::string_view name) noexcept;
/// The view as a `codex.rate_limits` event's JSON (codex-protocol §4).
std::string rateLimitsEvent(const PoolQuotaView& view);

}  // namespace sluice::core::routing
