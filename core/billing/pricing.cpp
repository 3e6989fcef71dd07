#include "core/billing/pricing.hpp"

#include <algorithm>

namespace sluice::core::billing {

namespace {

constexpr std::uint64_t kTokensPerPrice = 1'000'000;

/// tokens × price / 1,000,000, kept exact without overflow: the whole millions of tokens go to
/// `micro`, the rest's numerator (below 10^6 × price) to `remainder`.
void addCost(std::uint64_t tokens, std::int64_t per_million, std::uint64_t& micro,
             std::uint64_t& remainder) noexcept {
    const auto price = static_cast<std::uint64_t>(std::max<std::int64_t>(per_million, 0));
    micro += (tokens / kTokensPerPrice) * price;
    remainder += (tokens % kTokensPerPrice) * price;
}

}  // namespace

PricedUsage priceUsage(const sdk::RateCardRecord& card, std::uint64_t baseline,
                       const ReportedUsage& usage) noexcept {
    PricedUsage priced;
    const std::uint64_t fresh = usage.input_tokens > baseline ? usage.input_tokens - baseline : 0;
    const std::uint64_t fresh_cached =
        usage.cached_input_tokens > baseline ? usage.cached_input_tokens - baseline : 0;
    priced.cached_input_tokens = std::min(fresh, fresh_cached);
    priced.input_tokens = fresh - priced.cached_input_tokens;
    priced.output_tokens = usage.output_tokens;
    std::uint64_t micro = 0;
    std::uint64_t remainder = 0;
    addCost(priced.input_tokens, card.input_per_million, micro, remainder);
    addCost(priced.cached_input_tokens, card.cached_input_per_million, micro, remainder);
    addCost(priced.output_tokens, card.output_per_million, micro, remainder);
    micro += (remainder + kTokensPerPrice - 1) / kTokensPerPrice;
    priced.cost_micro_usd =
        static_cast<std::int64_t>(micro) + std::max<std::int64_t>(card.per_call, 0);
    return priced;
}

}  // namespace sluice::core::billing
