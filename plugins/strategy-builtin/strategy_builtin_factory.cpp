#include "strategy_builtin_factory.hpp"

#include "round_robin.hpp"

namespace sluice::plugins::strategy_builtin {

namespace {

class RoundRobinFactory final : public sdk::RoutingStrategyFactory {
public:
    std::string name() const override { return "round_robin"; }
    std::string description() const override {
        return "Rotates through eligible accounts, one step per request";
    }
    sdk::ConfigSchema schema() const override { return {}; }
    sdk::RoutingStrategyPtr create(const sdk::ConfigNode&, sdk::HostServices&) const override {
        return std::make_unique<RoundRobin>();
    }
};

}  // namespace

void registerFactories(sdk::Registrar& registrar) {
    registrar.addRoutingStrategy(std::make_unique<RoundRobinFactory>());
}

}  // namespace sluice::plugins::strategy_builtin
