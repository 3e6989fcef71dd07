#include "least_in_flight.hpp"

#include <algorithm>
#include <memory>

#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

sdk::ConfigSchema LeastInFlight::schema() {
    return {
        sdk::field::boolean("per_weight",
                            "Compare requests in flight per unit of account weight, so an account "
                            "of weight 2 carries twice as many")
            .defaultsTo("false"),
    };
}

LeastInFlightConfig LeastInFlight::parse(const sdk::ConfigNode& config) {
    LeastInFlightConfig out;
    out.per_weight = sdk::config::getBool(config, "per_weight");
    return out;
}

sdk::RoutingStrategyPtr LeastInFlight::create(const sdk::ConfigNode& config) {
    return std::make_unique<LeastInFlight>(parse(config));
}

void LeastInFlight::order(const sdk::PickContext& context,
                          std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0 || context.candidate_count == 0) {
        return;
    }
    const std::uint64_t seed = seeds_.next(context);
    const bool per_weight = config_.per_weight;
    // Key: load in 16.16 fixed point (31 bits), then 32 bits of the tie-break hash.
    appendBest(
        context, context.limit,
        [per_weight, seed](const sdk::Candidate& candidate) {
            std::uint64_t load = std::uint64_t{candidate.in_flight} << 16;
            if (per_weight) {
                load /= std::max<std::uint32_t>(candidate.weight, 1);
            }
            return fitBits(load, 31) << 32 | seededScore(seed, candidate.id_hash) >> 32;
        },
        out);
}

}  // namespace sluice::plugins::strategy_builtin
