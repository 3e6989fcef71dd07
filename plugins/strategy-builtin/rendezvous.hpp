#pragma once

#include <string_view>
#include <vector>

#include "hashing.hpp"
#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// `type: rendezvous` settings.
struct RendezvousConfig {
    bool seed_from_model = false;  ///< `unseeded: per_model`
};

/// `type: rendezvous`: highest-random-weight hashing. Each account scores
/// seededScore(seed, id_hash); highest first, healthy before demoted. The seed is the request's
/// affinity seed (session or prompt_cache_key), so a conversation stays on one account for as
/// long as it is eligible, and adding an account to a pool of n moves only about 1/(n+1) of the
/// conversations, all of them to the new account. Without an affinity seed the seed is a
/// per-request counter (`unseeded: spread`) or the pool and model (`unseeded: per_model`).
/// Scores are 64-bit and effectively distinct; exact ties go to the earlier snapshot position.
/// Lock-free; O(n).
class Rendezvous final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    static constexpr std::string_view kName = "rendezvous";
    static constexpr std::string_view kDescription =
        "Stable hashing of the conversation onto accounts (highest random weight)";

    static sdk::ConfigSchema schema();
    static RendezvousConfig parse(const sdk::ConfigNode& config);
    static sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config);

    explicit Rendezvous(const RendezvousConfig& config) : config_(config) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return {}; }

private:
    const RendezvousConfig config_;
    RequestSeeds seeds_;
};

}  // namespace sluice::plugins::strategy_builtin
