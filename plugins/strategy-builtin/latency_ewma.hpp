#pragma once

#include <string_view>
#include <vector>

#include "hashing.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: latency_ewma` settings.
struct LatencyEwmaConfig {
    bool in_flight_penalty = false;  ///< cost = latency x (in_flight + 1)
};

/// `type: latency_ewma`: power of two choices on expected latency. An account's cost is its
/// Candidate::ewma_latency_ms, times (in_flight + 1) with `in_flight_penalty` (default), so a
/// fast account that is already busy is not piled onto. An account whose latency is unknown (0)
/// costs the mean of the known latencies in the snapshot: neither favoured nor avoided, so it
/// gets traffic and a latency soon; with none known, all cost the same.
///
/// The leader is the cheaper of two distinct candidates drawn from a per-request hash (the
/// affinity seed when present, else a counter); an exact tie goes to the first drawn. Drawing
/// two instead of taking the cheapest of all keeps the fastest account from taking every
/// request while its average catches up. The rest of the ring follows by ascending cost, ties
/// by the same hash. Both draws come from the healthy candidates, or from the demoted ones when
/// none is healthy. Lock-free; three O(n) passes.
class LatencyEwma final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "latency_ewma";
    static constexpr std::string_view kDescription =
        "Power of two choices on EWMA latency (x requests in flight)";

    static sdk::ConfigSchema schema();
    static LatencyEwmaConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit LatencyEwma(const LatencyEwmaConfig& config) : config_(config) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override {
        return {.in_flight = config_.in_flight_penalty, .ewma_latency = true};
    }

private:
    const LatencyEwmaConfig config_;
    RequestSeeds seeds_;
};

}  // namespace sluice::plugins::strategy_builtin
