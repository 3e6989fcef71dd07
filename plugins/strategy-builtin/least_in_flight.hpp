#pragma once

#include <string_view>
#include <vector>

#include "hashing.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: least_in_flight` settings.
struct LeastInFlightConfig {
    bool per_weight = false;  ///< compare in_flight / weight instead of in_flight
};

/// `type: least_in_flight`: fewest requests in flight first (Candidate::in_flight, or
/// in_flight / weight with `per_weight`), so long streams do not pile up on one account.
/// Healthy before demoted. Ties (typically every idle account) are broken by a per-request
/// hash: the affinity seed when the request has one, so a conversation keeps landing on the
/// same idle account, else a counter, so idle accounts take turns. Lock-free; O(n).
class LeastInFlight final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "least_in_flight";
    static constexpr std::string_view kDescription =
        "Fewest requests in flight first; ties spread per request";

    static sdk::ConfigSchema schema();
    static LeastInFlightConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit LeastInFlight(const LeastInFlightConfig& config) : config_(config) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return {.in_flight = true}; }

private:
    const LeastInFlightConfig config_;
    RequestSeeds seeds_;
};

}  // namespace sluice::plugins::strategy_builtin
