#include "fill_first.hpp"

#include <algorithm>
#include <cstring>
#include <memory>

#include "sluice/sdk/config_values.hpp"
#include "top_selection.hpp"

namespace sluice::plugins::strategy_builtin {

namespace {

// Bytes [offset, offset + 7) of `text`, big-endian, zero past its end: ordered like the text.
std::uint64_t sevenBytes(std::string_view text, std::size_t offset) noexcept {
    if (text.size() >= offset + 8) {
        std::uint64_t word = 0;
        std::memcpy(&word, text.data() + offset, sizeof(word));
        return __builtin_bswap64(word) >> 8;  // x86 and ARM Linux are little-endian
    }
    std::uint64_t out = 0;
    for (std::size_t i = 0; i < 7; ++i) {
        const std::size_t at = offset + i;
        out = out << 8 | (at < text.size() ? static_cast<unsigned char>(text[at]) : 0U);
    }
    return out;
}

// Key (128 bits): saturated (1 bit below the helper's), priority offset to unsigned (14 bits,
// clamped to -8192..8191), then the label's first 14 bytes big-endian, so most labels are told
// apart without a string compare.
RankKey128 fillKey(const sdk::Candidate& candidate, std::uint32_t cap) noexcept {
    const bool saturated = cap != 0 && candidate.in_flight >= cap;
    const auto priority = static_cast<std::uint64_t>(
        std::clamp<std::int64_t>(candidate.priority, -8192, 8191) + 8192);
    return RankKey128{saturated} << 126 | RankKey128{priority} << 112 |
           RankKey128{sevenBytes(candidate.label, 0)} << 56 | sevenBytes(candidate.label, 7);
}

}  // namespace

sdk::ConfigSchema FillFirst::schema() {
    return {
        sdk::field::integer("max_in_flight",
                            "Move on to the next account while the current one carries this many "
                            "requests (0: no cap)")
            .defaultsTo("0")
            .between(0, 1'000'000),
    };
}

FillFirstConfig FillFirst::parse(const sdk::ConfigNode& config) {
    FillFirstConfig out;
    out.max_in_flight = static_cast<std::uint32_t>(sdk::config::getInt(config, "max_in_flight"));
    return out;
}

sdk::RoutingStrategyPtr FillFirst::create(const sdk::ConfigNode& config) {
    return std::make_unique<FillFirst>(parse(config));
}

void FillFirst::order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept {
    if (context.limit == 0 || context.candidate_count == 0) {
        return;
    }
    const std::uint32_t cap = config_.max_in_flight;
    appendBest(
        context, context.limit,
        [cap](const sdk::Candidate& candidate) { return fillKey(candidate, cap); }, out, kNoIndex,
        // Equal keys: labels that share their first 14 bytes, or equal labels.
        [&](std::uint32_t a, std::uint32_t b) {
            const sdk::Candidate& x = context.candidates[a];
            const sdk::Candidate& y = context.candidates[b];
            return x.label != y.label ? x.label < y.label : x.id != y.id ? x.id < y.id : a < b;
        });
}

}  // namespace sluice::plugins::strategy_builtin
