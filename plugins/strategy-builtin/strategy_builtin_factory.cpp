#include "strategy_builtin_factory.hpp"

#include <string>

#include "fill_first.hpp"
#include "latency_ewma.hpp"
#include "least_in_flight.hpp"
#include "least_recent_success.hpp"
#include "quota_headroom.hpp"
#include "rendezvous.hpp"
#include "reset_drain.hpp"
#include "round_robin.hpp"
#include "weighted.hpp"

namespace sluice::plugins::strategy_builtin {

namespace {

/// The factory of a strategy class that names, describes, and creates itself from a validated
/// config (schema defaults already applied by the host).
template <class Strategy>
class BuiltinFactory final : public sdk::RoutingStrategyFactory {
public:
    std::string name() const override { return std::string(Strategy::kName); }
    std::string description() const override { return std::string(Strategy::kDescription); }
    sdk::ConfigSchema schema() const override { return Strategy::schema(); }
    sdk::RoutingStrategyPtr create(const sdk::ConfigNode& config,
                                   sdk::HostServices&) const override {
        return Strategy::create(config);
    }
};

template <class... Strategies>
std::vector<std::unique_ptr<sdk::RoutingStrategyFactory>> factoriesOf() {
    std::vector<std::unique_ptr<sdk::RoutingStrategyFactory>> out;
    (out.push_back(std::make_unique<BuiltinFactory<Strategies>>()), ...);
    return out;
}

}  // namespace

std::vector<std::unique_ptr<sdk::RoutingStrategyFactory>> builtinStrategyFactories() {
    return factoriesOf<RoundRobin, Weighted, LeastInFlight, Rendezvous, LeastRecentSuccess,
                       QuotaHeadroom, ResetDrain, FillFirst, LatencyEwma>();
}

void registerFactories(sdk::Registrar& registrar) {
    for (auto& factory : builtinStrategyFactories()) {
        registrar.addRoutingStrategy(std::move(factory));
    }
}

}  // namespace sluice::plugins::strategy_builtin
