#include "rendezvous.hpp"

#include <memory>

#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

sdk::ConfigSchema Rendezvous::schema() {
    return {
        sdk::field::string("unseeded",
                           "Seed of requests without a session or prompt_cache_key: spread (a "
                           "new seed per request) or per_model (one account per pool and model, "
                           "the most cache-friendly)")
            .defaultsTo("spread")
            .oneOf({"spread", "per_model"}),
    };
}

RendezvousConfig Rendezvous::parse(const sdk::ConfigNode& config) {
    RendezvousConfig out;
    out.seed_from_model = sdk::config::getString(config, "unseeded") == "per_model";
    return out;
}

sdk::RoutingStrategyPtr Rendezvous::create(const sdk::ConfigNode& config) {
    return std::make_unique<Rendezvous>(parse(config));
}

void Rendezvous::order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0 || context.candidate_count == 0) {
        return;
    }
    std::uint64_t seed = 0;
    if (!context.has_affinity_seed && config_.seed_from_model) {
        seed = hashText(context.pool) ^ mix64(hashText(context.model));
    } else {
        seed = seeds_.next(context);
    }
    // Ascending key = descending score, in 63 bits (the helper keeps the top bit).
    appendBest(
        context, context.limit,
        [seed](const sdk::Candidate& candidate) {
            return ~seededScore(seed, candidate.id_hash) >> 1;
        },
        out);
}

}  // namespace sluice::plugins::strategy_builtin
