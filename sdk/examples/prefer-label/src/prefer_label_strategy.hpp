#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

#include "prefer_label_config.hpp"
#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::prefer_label {

/// Offers the accounts carrying the configured label first, then (with `fallback`) the rest;
/// accounts cooling down after a failure follow all healthy ones, in the same two groups. Each
/// group starts one place further on every call, so load spreads inside every group.
/// Thread-safe: the only mutable state is an atomic counter. It reads labels and cooldowns
/// only, so it asks the host for none of the live fields (in-flight counts, quota...).
class PreferLabelStrategy final : public sdk::RoutingStrategy, public sdk::ReadsLiveFields {
public:
    explicit PreferLabelStrategy(PreferLabelConfig config) : config_(std::move(config)) {}

    void order(const sdk::PickContext& context, std::vector<std::uint32_t>& out) noexcept override;
    void onOutcome(const sdk::Outcome&) noexcept override {}
    sdk::LiveFields liveFields() const noexcept override { return {}; }

    /// Whether `candidate` carries the configured label.
    bool matches(const sdk::Candidate& candidate) const noexcept;

private:
    /// Candidates with or without the label, healthy or cooling down.
    struct Group {
        bool labelled;
        bool demoted;
    };

    std::size_t appendGroup(const sdk::PickContext& context, Group group, std::uint64_t turn,
                            std::size_t budget, std::vector<std::uint32_t>& out) const noexcept;

    const PreferLabelConfig config_;
    std::atomic<std::uint64_t> turn_{0};
};

}  // namespace sluice::plugins::prefer_label
