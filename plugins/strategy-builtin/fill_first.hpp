#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: fill_first` settings.
struct FillFirstConfig {
    std::uint32_t max_in_flight = 0;  ///< 0: no cap
};

/// `type: fill_first`: one fixed order of all accounts, and every request takes the first
/// eligible one, so one account is drained before the next is touched and rolling quota
/// windows end up staggered. The order is by Candidate::priority (lower first: tiers), then
/// by label, then by id, which are unique, so there are no ties. A request stays on the first
/// account until that account becomes ineligible (it leaves the snapshot), is demoted, or, with
/// `max_in_flight`, carries that many requests; the next request then takes the next account
/// in the order, and traffic returns to the first one when it is back. Stateless; O(n).
class FillFirst final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "fill_first";
    static constexpr std::string_view kDescription =
        "Drains one account before the next: priority tiers, then label order";

    static sdk::ConfigSchema schema();
    static FillFirstConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit FillFirst(const FillFirstConfig& config) : config_(config) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override {
        return {.in_flight = config_.max_in_flight != 0};
    }

private:
    const FillFirstConfig config_;
};

}  // namespace sluice::plugins::strategy_builtin
