#include "round_robin.hpp"

namespace sluice::plugins::strategy_builtin {

void RoundRobin::order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept {
    const std::size_t count = context.candidate_count;
    if (count == 0 || context.limit == 0) {
        return;
    }
    const std::size_t start = next_.fetch_add(1, std::memory_order_relaxed) % count;
    for (std::size_t step = 0; step < count && out.size() < context.limit; ++step) {
        const std::size_t index = (start + step) % count;
        if (!context.candidates[index].tried) {
            out.push_back(static_cast<std::uint32_t>(index));
        }
    }
}

}  // namespace sluice::plugins::strategy_builtin
