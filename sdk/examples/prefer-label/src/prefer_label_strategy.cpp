#include "prefer_label_strategy.hpp"

namespace sluice::plugins::prefer_label {

bool PreferLabelStrategy::matches(const sdk::Candidate& candidate) const noexcept {
    if (candidate.labels == nullptr) {
        return false;
    }
    for (const auto& [key, value] : *candidate.labels) {
        if (key == config_.label_key && value == config_.label_value) {
            return true;
        }
    }
    return false;
}

void PreferLabelStrategy::order(const sdk::PickContext& context,
                                std::vector<std::uint32_t>& out) noexcept {
    // Relaxed: the counter only spreads load; no other memory depends on its value.
    const std::uint64_t turn = turn_.fetch_add(1, std::memory_order_relaxed);
    // Accounts cooling down after a failure go after every healthy one (the SDK asks for it,
    // and it keeps the ring full of healthy accounts); the label decides within each half.
    std::size_t budget = context.limit;
    for (const bool demoted : {false, true}) {
        budget -= appendGroup(context, Group{true, demoted}, turn, budget, out);
        if (config_.fallback) {
            budget -= appendGroup(context, Group{false, demoted}, turn, budget, out);
        }
    }
}

// Appends the untried members of one group, starting at member `turn % size` and wrapping, in
// two passes over the candidates instead of a scratch list: order() must not allocate.
std::size_t PreferLabelStrategy::appendGroup(const sdk::PickContext& context, Group group,
                                             std::uint64_t turn, std::size_t budget,
                                             std::vector<std::uint32_t>& out) const noexcept {
    const auto isMember = [&](std::size_t i) {
        const sdk::Candidate& candidate = context.candidates[i];
        return !candidate.tried && matches(candidate) == group.labelled &&
               (candidate.cooldown_until > context.now) == group.demoted;
    };
    std::size_t members = 0;
    for (std::size_t i = 0; i < context.candidate_count; ++i) {
        members += isMember(i) ? 1 : 0;
    }
    if (members == 0 || budget == 0) {
        return 0;
    }
    const auto first = static_cast<std::size_t>(turn % members);
    std::size_t taken = 0;
    for (const bool wrapped : {false, true}) {
        std::size_t rank = 0;
        for (std::size_t i = 0; i < context.candidate_count; ++i) {
            if (!isMember(i)) {
                continue;
            }
            const bool in_pass = wrapped ? rank < first : rank >= first;
            ++rank;
            if (!in_pass) {
                continue;
            }
            out.push_back(static_cast<std::uint32_t>(i));
            if (++taken == budget) {
                return taken;
            }
        }
    }
    return taken;
}

}  // namespace sluice::plugins::prefer_label
