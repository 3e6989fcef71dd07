#include "quota_headroom.hpp"

#include <algorithm>
#include <memory>

#include "quota_view.hpp"
#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

sdk::ConfigSchema QuotaHeadroom::schema() {
    return {
        sdk::field::boolean("prefer_earlier_reset",
                            "Among accounts within reset_margin of the best headroom, use the one "
                            "whose limiting window resets soonest first, so capacity that is about "
                            "to reset is not wasted")
            .defaultsTo("true"),
        sdk::field::integer("reset_margin",
                            "Percentage points of headroom below the best that still count as "
                            "nearly as good (with prefer_earlier_reset)")
            .defaultsTo("20")
            .between(0, 100),
        sdk::field::integer("unknown_headroom",
                            "Headroom (percent) assumed for an account with no known quota window")
            .defaultsTo("100")
            .between(0, 100),
    };
}

QuotaHeadroomConfig QuotaHeadroom::parse(const sdk::ConfigNode& config) {
    QuotaHeadroomConfig out;
    out.prefer_earlier_reset = sdk::config::getBool(config, "prefer_earlier_reset");
    out.reset_margin =
        static_cast<std::uint32_t>(sdk::config::getInt(config, "reset_margin")) * 100;
    out.unknown_headroom =
        static_cast<std::uint32_t>(sdk::config::getInt(config, "unknown_headroom")) * 100;
    return out;
}

sdk::RoutingStrategyPtr QuotaHeadroom::create(const sdk::ConfigNode& config) {
    return std::make_unique<QuotaHeadroom>(parse(config));
}

void QuotaHeadroom::order(const sdk::PickContext& context,
                          std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0 || context.candidate_count == 0) {
        return;
    }
    const sdk::TimePoint now = context.now;
    const std::uint32_t unknown = config_.unknown_headroom;
    // The margin is measured from the best headroom among the accounts that would lead: the
    // healthy ones, or the demoted ones when none is healthy.
    std::int64_t floor = 0;
    if (config_.prefer_earlier_reset) {
        std::int64_t best_healthy = -1;
        std::int64_t best_demoted = -1;
        for (std::size_t i = 0; i < context.candidate_count; ++i) {
            const sdk::Candidate& candidate = context.candidates[i];
            if (candidate.tried) {
                continue;
            }
            const std::int64_t room = headroomBasisPoints(candidate, now, unknown);
            if (isDemoted(candidate, now)) {
                best_demoted = std::max(best_demoted, room);
            } else {
                best_healthy = std::max(best_healthy, room);
            }
        }
        floor = (best_healthy >= 0 ? best_healthy : best_demoted) - config_.reset_margin;
    }
    const bool by_reset = config_.prefer_earlier_reset;
    const std::uint64_t seed = seeds_.next(context);
    // Key: outside the margin (1 bit), the limiting window's reset in seconds inside the margin
    // (34 bits, 0 outside it), the shortfall from 100% in basis points (14 bits), then 14 bits
    // of the tie-break hash.
    appendBest(
        context, context.limit,
        [now, unknown, by_reset, floor, seed](const sdk::Candidate& candidate) {
            const Headroom room = headroomOf(candidate, now, unknown);
            const bool outside = by_reset && room.basis_points < floor;
            const std::uint64_t reset = by_reset && !outside ? secondsKey(room.restores_at, 34) : 0;
            return std::uint64_t{outside} << 62 | reset << 28 |
                   std::uint64_t{kFullRoom - room.basis_points} << 14 |
                   seededScore(seed, candidate.id_hash) >> 50;
        },
        out);
}

}  // namespace sluice::plugins::strategy_builtin
