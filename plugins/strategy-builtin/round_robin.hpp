#pragma once

#include <atomic>
#include <cstdint>
#include <string_view>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: round_robin`. Request n starts at snapshot position n mod count and continues in
/// snapshot order, wrapping: first the healthy untried candidates, then the demoted ones. No
/// ties to break: positions are distinct. Lock-free (one relaxed counter); O(n) at worst, and
/// it stops as soon as the ring is full.
class RoundRobin final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "round_robin";
    static constexpr std::string_view kDescription =
        "Rotates through eligible accounts, one step per request";

    /// No settings.
    static sdk::ConfigSchema schema() { return {}; }
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return {}; }

private:
    std::atomic<std::uint64_t> next_{0};
};

}  // namespace sluice::plugins::strategy_builtin
