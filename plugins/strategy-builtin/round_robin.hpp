#pragma once

#include <atomic>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::strategy_builtin {

/// Rotates through the eligible candidates: request n starts at candidate n mod count and
/// continues in snapshot order, skipping tried ones. Lock-free.
class RoundRobin final : public sdk::RoutingStrategy {
public:
    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}

private:
    std::atomic<std::uint64_t> next_{0};
};

}  // namespace sluice::plugins::strategy_builtin
