// Every built-in strategy, with its defaults and with each setting that changes its order, must
// pass the SDK's strategy conformance suite. The binary links the plugin's static twin, so the
// code under test is the code inside libsluice-strategy-builtin.so.

#include <memory>
#include <string>

#include "plugins/strategy-builtin/strategy_builtin_factory.hpp"
#include "sluice/sdk/testing/strategy_conformance.hpp"

namespace {

using sluice::sdk::testing::ConfigValues;
using sluice::sdk::testing::StrategyConformanceParam;

StrategyConformanceParam builtin(const std::string& type, const std::string& name,
                                 ConfigValues config = {}) {
    return StrategyConformanceParam{
        name,
        [type]() -> std::unique_ptr<sluice::sdk::RoutingStrategyFactory> {
            for (auto& factory : sluice::plugins::strategy_builtin::builtinStrategyFactories()) {
                if (factory->name() == type) {
                    return std::move(factory);
                }
            }
            return nullptr;
        },
        std::move(config)};
}

}  // namespace

SLUICE_INSTANTIATE_STRATEGY_CONFORMANCE(
    Builtin, builtin("round_robin", "round_robin"), builtin("weighted", "weighted"),
    builtin("weighted", "weighted_tiny_table", {{"max_accounts", "1"}}),
    builtin("least_in_flight", "least_in_flight"),
    builtin("least_in_flight", "least_in_flight_per_weight", {{"per_weight", "true"}}),
    builtin("rendezvous", "rendezvous"),
    builtin("rendezvous", "rendezvous_per_model", {{"unseeded", "per_model"}}),
    builtin("least_recent_success", "least_recent_success"),
    builtin("least_recent_success", "least_recent_success_busy_too", {{"busy_last", "false"}}),
    builtin("quota_headroom", "quota_headroom"),
    builtin("quota_headroom", "quota_headroom_by_headroom_only",
            {{"prefer_earlier_reset", "false"}}),
    builtin("reset_drain", "reset_drain"),
    builtin("reset_drain", "reset_drain_primary", {{"window", "primary"}}),
    builtin("reset_drain", "reset_drain_earliest", {{"window", "earliest"}}),
    builtin("fill_first", "fill_first"),
    builtin("fill_first", "fill_first_capped", {{"max_in_flight", "2"}}),
    builtin("latency_ewma", "latency_ewma"),
    builtin("latency_ewma", "latency_ewma_latency_only", {{"in_flight_penalty", "false"}}));
