#pragma once

#include <string>

#include "sluice/sdk/routing_strategy.hpp"

namespace sluice::plugins::prefer_label {

/// `type: prefer_label`. Registered once per plugin load; create() runs on the host's main
/// thread at pipeline load.
class PreferLabelFactory final : public sdk::RoutingStrategyFactory {
public:
    std::string name() const override { return "prefer_label"; }
    std::string description() const override;
    sdk::ConfigSchema schema() const override;
    sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config,
                                   sdk::HostServices& host) const override;
};

}  // namespace sluice::plugins::prefer_label
