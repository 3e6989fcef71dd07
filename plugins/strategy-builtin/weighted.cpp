#include "weighted.hpp"

#include <algorithm>
#include <memory>

#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

namespace {

// Credit beyond this many rounds of the group's total weight is dropped: the steady state of
// smooth weighted round robin stays within about two rounds, so only returning accounts hit it.
constexpr std::int64_t kCreditRounds = 4;

std::uint64_t weightOf(const sdk::Candidate& candidate) noexcept {
    return std::max<std::uint64_t>(candidate.weight, 1);
}

}  // namespace

sdk::ConfigSchema Weighted::schema() {
    return {
        sdk::field::integer("max_accounts",
                            "Accounts whose credit is tracked (32 bytes each); beyond it an "
                            "account competes with zero credit and shares become approximate")
            .defaultsTo("10000")
            .between(1, 10'000'000),
    };
}

WeightedConfig Weighted::parse(const sdk::ConfigNode& config) {
    WeightedConfig out;
    out.max_accounts = static_cast<std::size_t>(sdk::config::getInt(config, "max_accounts"));
    return out;
}

sdk::RoutingStrategyPtr Weighted::create(const sdk::ConfigNode& config) {
    return std::make_unique<Weighted>(parse(config));
}

Weighted::Weighted(const WeightedConfig& config) : credits_(config.max_accounts) {}

std::int64_t Weighted::creditOf(const sdk::Candidate& candidate, std::uint64_t step,
                                std::uint64_t total, std::atomic<std::uint64_t>*& debt) noexcept {
    bool claimed = false;
    debt = credits_.find(candidate.id_hash, claimed);
    if (debt == nullptr) {
        return 0;
    }
    // Unsigned arithmetic wraps; the difference is exact while |credit| < 2^63, which the
    // clamp below guarantees.
    const std::uint64_t weight = weightOf(candidate);
    const std::uint64_t earned = weight * step;
    if (claimed) {
        // A new account starts as if it had earned this request's weight and nothing else.
        debt->store(earned - weight, std::memory_order_relaxed);
        return static_cast<std::int64_t>(weight);
    }
    std::int64_t credit = static_cast<std::int64_t>(earned - debt->load(std::memory_order_relaxed));
    const std::int64_t bound = kCreditRounds * static_cast<std::int64_t>(total);
    if (credit > bound || credit < -bound) {
        credit = std::clamp(credit, -bound, bound);
        debt->store(earned - static_cast<std::uint64_t>(credit), std::memory_order_relaxed);
    }
    return credit;
}

void Weighted::order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0) {
        return;
    }
    std::uint64_t healthy_total = 0;
    std::uint64_t demoted_total = 0;
    for (std::size_t i = 0; i < context.candidate_count; ++i) {
        const sdk::Candidate& candidate = context.candidates[i];
        if (!candidate.tried) {
            (isDemoted(candidate, context.now) ? demoted_total : healthy_total) +=
                weightOf(candidate);
            credits_.prefetch(candidate.id_hash);
        }
    }
    if (healthy_total + demoted_total == 0) {
        return;
    }
    const bool from_demoted = healthy_total == 0;
    const std::uint64_t total = from_demoted ? demoted_total : healthy_total;
    // Relaxed: each request needs a distinct step; the debts are read and written relaxed too,
    // since a stale value only shifts credit by one request.
    const std::uint64_t step = steps_.fetch_add(1, std::memory_order_relaxed) + 1;

    std::uint32_t leader = kNoIndex;
    std::int64_t leader_credit = 0;
    std::atomic<std::uint64_t>* leader_debt = nullptr;
    for (std::uint32_t i = 0; i < context.candidate_count; ++i) {
        const sdk::Candidate& candidate = context.candidates[i];
        if (candidate.tried || isDemoted(candidate, context.now) != from_demoted) {
            continue;
        }
        std::atomic<std::uint64_t>* debt = nullptr;
        const std::int64_t credit = creditOf(candidate, step, total, debt);
        if (leader == kNoIndex || credit > leader_credit) {
            leader = i;
            leader_credit = credit;
            leader_debt = debt;
        }
    }
    if (leader_debt != nullptr) {
        leader_debt->fetch_add(total, std::memory_order_relaxed);
    }
    out.push_back(leader);

    // The rest of the ring: heaviest first. Key: the weight's complement (32 bits), then 31
    // bits of a tie-break hash of this request.
    const std::uint64_t seed = mix64(step);
    appendBest(
        context, context.limit - 1,
        [seed](const sdk::Candidate& candidate) {
            const std::uint64_t lightness =
                UINT32_MAX - std::max<std::uint32_t>(candidate.weight, 1);
            return lightness << 31 | seededScore(seed, candidate.id_hash) >> 33;
        },
        out, leader);
}

}  // namespace sluice::plugins::strategy_builtin
