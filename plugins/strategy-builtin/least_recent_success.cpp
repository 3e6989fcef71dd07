#include "least_recent_success.hpp"

#include <memory>

#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

sdk::ConfigSchema LeastRecentSuccess::schema() {
    return {
        sdk::field::boolean("busy_last",
                            "Offer accounts with a request in flight after idle ones, so a burst "
                            "does not all go to the same oldest account")
            .defaultsTo("true"),
    };
}

LeastRecentSuccessConfig LeastRecentSuccess::parse(const sdk::ConfigNode& config) {
    LeastRecentSuccessConfig out;
    out.busy_last = sdk::config::getBool(config, "busy_last");
    return out;
}

sdk::RoutingStrategyPtr LeastRecentSuccess::create(const sdk::ConfigNode& config) {
    return std::make_unique<LeastRecentSuccess>(parse(config));
}

void LeastRecentSuccess::order(const sdk::PickContext& context,
                               std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0 || context.candidate_count == 0) {
        return;
    }
    const std::uint64_t seed = seeds_.next(context);
    const bool busy_last = config_.busy_last;
    // Key: busy (1 bit), milliseconds of the last success (42 bits, to the year 2109; never = 0),
    // then 20 bits of the tie-break hash.
    appendBest(
        context, context.limit,
        [busy_last, seed](const sdk::Candidate& candidate) {
            const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                candidate.last_success.time_since_epoch())
                                .count();
            const std::uint64_t busy = busy_last && candidate.in_flight > 0 ? 1 : 0;
            return busy << 62 | fitBits(ms <= 0 ? 0 : static_cast<std::uint64_t>(ms), 42) << 20 |
                   seededScore(seed, candidate.id_hash) >> 44;
        },
        out);
}

}  // namespace sluice::plugins::strategy_builtin
