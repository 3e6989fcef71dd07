#pragma once

// How the quota strategies read a candidate's windows. Shared so that quota_headroom and
// reset_drain agree on what "headroom" and "reset" mean. Integer results, computed with
// selects rather than branches: these run once or twice per candidate per request.

#include <algorithm>
#include <cstdint>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// 100% in basis points (1/100 of a percent).
inline constexpr std::uint32_t kFullRoom = 10'000;

/// A candidate's spare capacity as its windows describe it.
struct Headroom {
    std::uint32_t basis_points = kFullRoom;  ///< min over known windows of (100% - used)
    /// When the window that sets `basis_points` resets; TimePoint::max() when that is unknown.
    sdk::TimePoint restores_at = sdk::TimePoint::max();
};

/// The window's next reset; TimePoint::max() when it is unknown or already past.
inline sdk::TimePoint upcomingReset(const sdk::QuotaWindow& window, sdk::TimePoint now) noexcept {
    return window.known && window.resets_at > now ? window.resets_at : sdk::TimePoint::max();
}

/// Room left in a window, in basis points; above kFullRoom when the window is unknown. A window
/// whose reset time has passed counts as unused: the upstream has reset it even if no newer
/// evidence has arrived yet.
inline std::uint32_t roomOf(const sdk::QuotaWindow& window, sdk::TimePoint now) noexcept {
    // min/max in this order map NaN to 0% used.
    const double used = std::max(0.0, std::min(window.used_percent, 100.0));
    const auto room = static_cast<std::uint32_t>(10'000.0 - used * 100.0 + 0.5);
    const auto reset_passed = static_cast<std::uint32_t>(
        window.resets_at.time_since_epoch().count() != 0 && window.resets_at <= now);
    // Masks instead of branches: whether a window is known is a coin toss from one candidate to
    // the next, which a branch predictor cannot learn.
    const std::uint32_t known = 0U - static_cast<std::uint32_t>(window.known);
    const std::uint32_t after_reset = room + (kFullRoom - room) * reset_passed;
    return (after_reset & known) | ((kFullRoom + 1) & ~known);
}

/// Min over the known windows of the room left in basis points; `unknown_basis_points` when no
/// window is known.
inline std::uint32_t headroomBasisPoints(const sdk::Candidate& candidate, sdk::TimePoint now,
                                         std::uint32_t unknown_basis_points) noexcept {
    const std::uint32_t room =
        std::min(roomOf(candidate.primary, now), roomOf(candidate.secondary, now));
    return room > kFullRoom ? unknown_basis_points : room;
}

/// Min over the known windows of the room left, with the reset of the window that sets it (the
/// earlier one when both leave the same room). `unknown_basis_points` stands in when no window
/// is known.
inline Headroom headroomOf(const sdk::Candidate& candidate, sdk::TimePoint now,
                           std::uint32_t unknown_basis_points) noexcept {
    const std::uint32_t primary = roomOf(candidate.primary, now);
    const std::uint32_t secondary = roomOf(candidate.secondary, now);
    const sdk::TimePoint primary_reset = upcomingReset(candidate.primary, now);
    const sdk::TimePoint secondary_reset = upcomingReset(candidate.secondary, now);
    Headroom out;
    out.basis_points = std::min(primary, secondary);
    out.restores_at = primary < secondary   ? primary_reset
                      : secondary < primary ? secondary_reset
                                            : std::min(primary_reset, secondary_reset);
    if (out.basis_points > kFullRoom) {
        out.basis_points = unknown_basis_points;
        out.restores_at = sdk::TimePoint::max();
    }
    return out;
}

}  // namespace sluice::plugins::strategy_builtin
