#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/status.hpp"

namespace sluice::core::admission {

/// What a Pool API key may do, stored as JSON in the key's record. Every limit is optional.
struct KeyPolicy {
    std::optional<std::vector<std::string>> allowed_models;  ///< empty list: no model at all
    std::optional<std::string> enforced_model;               ///< every request uses this model
    std::optional<std::string> max_reasoning_effort;   ///< minimal < low < medium < high < xhigh
    std::optional<std::uint32_t> requests_per_minute;  ///< rolling 60 s
    std::optional<std::uint64_t> tokens_per_day;       ///< UTC calendar day
    std::optional<std::uint64_t> tokens_per_week;      ///< rolling 7 UTC days
    /// Per-request cap: a request whose input alone is estimated above it is refused, and it is
    /// what a running request holds against the day/week budgets until its usage is known.
    std::optional<std::uint64_t> max_tokens_per_request;
    std::optional<std::uint32_t> max_concurrent_streams;

    static constexpr std::uint64_t kDefaultReservation = 16'384;

    bool limitsTokens() const noexcept { return tokens_per_day || tokens_per_week; }
    bool limitsModels() const noexcept {
        return allowed_models || enforced_model || max_reasoning_effort;
    }
    std::uint64_t reservation() const noexcept {
        return max_tokens_per_request.value_or(kDefaultReservation);
    }
};

/// Parses and validates a policy; InvalidArgument names the offending field.
sdk::Result<KeyPolicy> parseKeyPolicy(std::string_view json);
std::string keyPolicyJson(const KeyPolicy& policy);

/// The rank of a reasoning effort (minimal=0 … xhigh=4); nullopt for unknown words.
std::optional<int> effortRank(std::string_view effort);

}  // namespace sluice::core::admission
