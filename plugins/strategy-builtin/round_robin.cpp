#include "round_robin.hpp"

#include <memory>

#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

sdk::RoutingStrategyPtr RoundRobin::create(const sdk::ConfigNode&) {
    return std::make_unique<RoundRobin>();
}

void RoundRobin::order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept {
    const std::size_t count = context.candidate_count;
    if (count == 0 || context.limit == 0) {
        return;
    }
    // Relaxed: the counter only spreads load; no other memory depends on its value.
    const std::size_t start = next_.fetch_add(1, std::memory_order_relaxed) % count;
    const std::size_t full = out.size() + context.limit;
    for (const bool demoted : {false, true}) {
        for (std::size_t step = 0; step < count; ++step) {
            const std::size_t index = (start + step) % count;
            const sdk::Candidate& candidate = context.candidates[index];
            if (candidate.tried || isDemoted(candidate, context.now) != demoted) {
                continue;
            }
            out.push_back(static_cast<std::uint32_t>(index));
            if (out.size() == full) {
                return;
            }
        }
    }
}

}  // namespace sluice::plugins::strategy_builtin
