#pragma once

#include <cstdint>

#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::core::billing {

/// Token counts of one settled request, as its upstream reported them.
struct ReportedUsage {
    std::uint64_t input_tokens = 0;  ///< the whole prompt, cached part included
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
};

/// What one request pays for, and what it costs.
struct PricedUsage {
    std::uint64_t input_tokens = 0;         ///< new, uncached input
    std::uint64_t cached_input_tokens = 0;  ///< new input served from the cache
    std::uint64_t output_tokens = 0;
    std::int64_t cost_micro_usd = 0;
};

/// Prices a request against `card` given its conversation's input `baseline` (the cumulative
/// input reported by the previous turn; 0 without a conversation). Only input beyond the
/// baseline is new: a shrink (compaction, a new window) pays no input. Of the new input, the
/// part beyond the baseline that the upstream served from its cache pays the cached rate.
/// Output is paid in full; the card's per-call price is added. The sum is rounded up to the
/// micro-dollar once, so no request that used tokens is free. Pure.
PricedUsage priceUsage(const sdk::RateCardRecord& card, std::uint64_t baseline,
                       const ReportedUsage& usage) noexcept;

}  // namespace sluice::core::billing
