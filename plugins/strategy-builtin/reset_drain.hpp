#pragma once

#include <string_view>
#include <vector>

#include "hashing.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// Which window's reset reset_drain orders by.
enum class DrainWindow { Secondary, Primary, Earliest };

/// `type: reset_drain` settings.
struct ResetDrainConfig {
    DrainWindow window = DrainWindow::Secondary;
};

/// `type: reset_drain`: the account whose quota resets soonest goes first, so capacity that is
/// about to be renewed gets used before it is lost. The reset is the upcoming reset of the
/// `window` setting's window: `secondary` (default; the weekly window, the scarce one) falling
/// back to the primary when the secondary is unknown, `primary` falling back to the secondary,
/// or `earliest` of both. Accounts without a known upcoming reset come after all others.
/// Ties: more headroom first (min over known windows of 100 - used%), then a per-request hash
/// (the affinity seed when present, else a counter). Healthy before demoted. Lock-free; O(n).
class ResetDrain final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "reset_drain";
    static constexpr std::string_view kDescription =
        "Account whose quota window resets soonest first";

    static sdk::ConfigSchema schema();
    static ResetDrainConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit ResetDrain(const ResetDrainConfig& config) : config_(config) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return {.quota = true}; }

private:
    sdk::TimePoint drainDeadline(const sdk::Candidate& candidate,
                                 sdk::TimePoint now) const noexcept;

    const ResetDrainConfig config_;
    RequestSeeds seeds_;
};

}  // namespace sluice::plugins::strategy_builtin
