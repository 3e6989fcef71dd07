#include "reset_drain.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include "quota_view.hpp"
#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

sdk::ConfigSchema ResetDrain::schema() {
    return {
        sdk::field::string("window",
                           "Whose reset orders the accounts: secondary (weekly, falling back to "
                           "primary), primary (falling back to secondary) or earliest of both")
            .defaultsTo("secondary")
            .oneOf({"secondary", "primary", "earliest"}),
    };
}

ResetDrainConfig ResetDrain::parse(const sdk::ConfigNode& config) {
    ResetDrainConfig out;
    const std::string window = sdk::config::getString(config, "window");
    out.window = window == "primary"    ? DrainWindow::Primary
                 : window == "earliest" ? DrainWindow::Earliest
                                        : DrainWindow::Secondary;
    return out;
}

sdk::RoutingStrategyPtr ResetDrain::create(const sdk::ConfigNode& config) {
    return std::make_unique<ResetDrain>(parse(config));
}

sdk::TimePoint ResetDrain::drainDeadline(const sdk::Candidate& candidate,
                                         sdk::TimePoint now) const noexcept {
    constexpr sdk::TimePoint kNone = sdk::TimePoint::max();
    const sdk::TimePoint primary = upcomingReset(candidate.primary, now);
    const sdk::TimePoint secondary = upcomingReset(candidate.secondary, now);
    switch (config_.window) {
        case DrainWindow::Primary:
            return primary != kNone ? primary : secondary;
        case DrainWindow::Earliest:
            return std::min(primary, secondary);
        case DrainWindow::Secondary:
            break;
    }
    return secondary != kNone ? secondary : primary;
}

void ResetDrain::order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0 || context.candidate_count == 0) {
        return;
    }
    const std::uint64_t seed = seeds_.next(context);
    // Key: the reset in seconds (34 bits; none sorts last), the shortfall from 100% in basis
    // points (14 bits), then 15 bits of the tie-break hash.
    appendBest(
        context, context.limit,
        [this, now = context.now, seed](const sdk::Candidate& candidate) {
            // An account with no known window has nothing to drain: full headroom by default.
            const Headroom room = headroomOf(candidate, now, kFullRoom);
            return secondsKey(drainDeadline(candidate, now), 34) << 29 |
                   std::uint64_t{kFullRoom - room.basis_points} << 15 |
                   seededScore(seed, candidate.id_hash) >> 49;
        },
        out);
}

}  // namespace sluice::plugins::strategy_builtin
