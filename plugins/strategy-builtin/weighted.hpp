#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include "credit_table.hpp"
#include "hashing.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: weighted` settings.
struct WeightedConfig {
    std::size_t max_accounts = 0;  ///< accounts whose credit is tracked
};

/// `type: weighted`: smooth weighted round robin (the nginx scheme) over Candidate::weight.
/// Every request, each account earns its weight in credit; the account with the most credit
/// leads and pays the group's total weight. With weights 5, 1, 1 the leaders run a a b a c a a,
/// so heavy accounts are interleaved rather than used in bursts. Ties go to the earlier snapshot
/// position. The ring after the leader is the other accounts, heaviest first, ties in a
/// per-request order. The leader comes from the healthy candidates, or from the demoted ones
/// when none is healthy.
///
/// Lock-free: credit is stored lazily as (weight x request counter - debt), so a request reads
/// one atomic per candidate and writes only the leader's debt; no lock, so order() never waits.
/// Concurrent requests may occasionally pick the same leader; the debt they both pay evens it
/// out on the next requests. An account back from a long absence carries at most four rounds
/// of credit, so it does not monopolise the pool when it returns.
class Weighted final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "weighted";
    static constexpr std::string_view kDescription =
        "Smooth weighted round robin over account weights";

    static sdk::ConfigSchema schema();
    static WeightedConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit Weighted(const WeightedConfig& config);

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return {}; }

private:
    /// Current credit of `candidate` at request `step`, within +-4 x `total`.
    std::int64_t creditOf(const sdk::Candidate& candidate, std::uint64_t step, std::uint64_t total,
                          std::atomic<std::uint64_t>*& debt) noexcept;

    CreditTable credits_;
    std::atomic<std::uint64_t> steps_{0};
};

}  // namespace sluice::plugins::strategy_builtin
