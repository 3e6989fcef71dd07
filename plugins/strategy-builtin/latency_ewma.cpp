#include "latency_ewma.hpp"

#include <bit>
#include <memory>

#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

namespace {

bool knownLatency(const sdk::Candidate& candidate) noexcept {
    return candidate.ewma_latency_ms > 0.0;  // also false for NaN
}

}  // namespace

sdk::ConfigSchema LatencyEwma::schema() {
    return {
        sdk::field::boolean("in_flight_penalty",
                            "Multiply an account's latency by (requests in flight + 1), the time "
                            "a new request can expect to wait behind the others")
            .defaultsTo("true"),
    };
}

LatencyEwmaConfig LatencyEwma::parse(const sdk::ConfigNode& config) {
    LatencyEwmaConfig out;
    out.in_flight_penalty = sdk::config::getBool(config, "in_flight_penalty");
    return out;
}

sdk::RoutingStrategyPtr LatencyEwma::create(const sdk::ConfigNode& config) {
    return std::make_unique<LatencyEwma>(parse(config));
}

void LatencyEwma::order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0 || context.candidate_count == 0) {
        return;
    }
    const sdk::TimePoint now = context.now;
    const auto count = static_cast<std::uint32_t>(context.candidate_count);

    // Pass 1: the mean known latency, and how many candidates each group can draw from.
    double known_sum = 0.0;
    std::size_t known = 0;
    std::uint32_t healthy = 0;
    std::uint32_t demoted = 0;
    for (std::uint32_t i = 0; i < count; ++i) {
        const sdk::Candidate& candidate = context.candidates[i];
        if (candidate.tried) {
            continue;
        }
        ++(isDemoted(candidate, now) ? demoted : healthy);
        if (knownLatency(candidate)) {
            known_sum += candidate.ewma_latency_ms;
            ++known;
        }
    }
    const bool from_demoted = healthy == 0;
    const std::uint32_t group = from_demoted ? demoted : healthy;
    if (group == 0) {
        return;
    }
    const double unknown_latency = known == 0 ? 1.0 : known_sum / static_cast<double>(known);
    const auto costOf = [&](const sdk::Candidate& candidate) {
        const double latency =
            knownLatency(candidate) ? candidate.ewma_latency_ms : unknown_latency;
        return config_.in_flight_penalty ? latency * (candidate.in_flight + 1.0) : latency;
    };

    // Pass 2: the two draws, as ranks within the group, the second distinct from the first.
    const std::uint64_t seed = seeds_.next(context);
    const std::uint64_t draw = mix64(seed ^ 0x5851f42d4c957f2dULL);
    const std::uint32_t first_rank = static_cast<std::uint32_t>(draw % group);
    const std::uint32_t second_rank =
        group < 2
            ? first_rank
            : (first_rank + 1 + static_cast<std::uint32_t>((draw >> 32) % (group - 1))) % group;
    std::uint32_t first = kNoIndex;
    std::uint32_t second = kNoIndex;
    std::uint32_t rank = 0;
    for (std::uint32_t i = 0; i < count && (first == kNoIndex || second == kNoIndex); ++i) {
        const sdk::Candidate& candidate = context.candidates[i];
        if (candidate.tried || isDemoted(candidate, now) != from_demoted) {
            continue;
        }
        if (rank == first_rank) {
            first = i;
        }
        if (rank == second_rank) {
            second = i;
        }
        ++rank;
    }
    const std::uint32_t leader =
        costOf(context.candidates[second]) < costOf(context.candidates[first]) ? second : first;
    out.push_back(leader);

    // Pass 3: the rest of the ring by cost. Key: the cost as a float's bits, which order like
    // the (non-negative) values, then 32 bits of the tie-break hash.
    appendBest(
        context, context.limit - 1,
        [&costOf, seed](const sdk::Candidate& candidate) {
            const auto cost = std::bit_cast<std::uint32_t>(static_cast<float>(costOf(candidate)));
            return std::uint64_t{cost} << 32 | seededScore(seed, candidate.id_hash) >> 32;
        },
        out, leader);
}

}  // namespace sluice::plugins::strategy_builtin
