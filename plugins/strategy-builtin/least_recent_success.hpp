#pragma once

#include <string_view>
#include <vector>

#include "hashing.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: least_recent_success` settings.
struct LeastRecentSuccessConfig {
    bool busy_last = false;  ///< accounts with a request in flight after idle ones
};

/// `type: least_recent_success`: the account whose last success (Candidate::last_success) is
/// oldest goes first; one that never succeeded counts as oldest of all. Spreads use evenly over
/// time and retries a quiet account soon. Healthy before demoted. With `busy_last` (default),
/// accounts with a request in flight come after idle ones, because a burst of requests arriving
/// before the first answers would otherwise all see the same oldest account. Equal times are
/// broken by a per-request hash (the affinity seed when present, else a counter). Lock-free;
/// O(n).
class LeastRecentSuccess final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "least_recent_success";
    static constexpr std::string_view kDescription =
        "Account whose last success is oldest first; busy accounts after idle ones";

    static sdk::ConfigSchema schema();
    static LeastRecentSuccessConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit LeastRecentSuccess(const LeastRecentSuccessConfig& config) : config_(config) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override {
        return {.in_flight = config_.busy_last, .last_success = true};
    }

private:
    const LeastRecentSuccessConfig config_;
    RequestSeeds seeds_;
};

}  // namespace sluice::plugins::strategy_builtin
