#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "hashing.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: quota_headroom` settings.
struct QuotaHeadroomConfig {
    bool prefer_earlier_reset = false;
    std::uint32_t reset_margin = 0;      ///< basis points below the best headroom
    std::uint32_t unknown_headroom = 0;  ///< basis points assumed when no window is known
};

/// `type: quota_headroom`: most remaining capacity first. An account's headroom is the minimum
/// over its known windows of (100 - used%); a window whose reset time has passed counts as
/// unused, and an account with no known window gets `unknown_headroom`.
///
/// With `prefer_earlier_reset` (default), accounts within `reset_margin` points of the best
/// headroom are "nearly as good", and among them the one whose limiting window resets soonest
/// goes first: its capacity is lost at the reset if nobody uses it, while a later-resetting
/// account keeps its own. Accounts outside the margin follow by headroom. Without it, the order
/// is by headroom alone. Ties (equal headroom, equal reset) are broken by a per-request hash:
/// the affinity seed when present, else a counter. Healthy before demoted. Lock-free; two O(n)
/// passes.
class QuotaHeadroom final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "quota_headroom";
    static constexpr std::string_view kDescription =
        "Most remaining quota first; among nearly equal, the one that resets soonest";

    static sdk::ConfigSchema schema();
    static QuotaHeadroomConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit QuotaHeadroom(const QuotaHeadroomConfig& config) : config_(config) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return {.quota = true}; }

private:
    const QuotaHeadroomConfig config_;
    RequestSeeds seeds_;
};

}  // namespace sluice::plugins::strategy_builtin
