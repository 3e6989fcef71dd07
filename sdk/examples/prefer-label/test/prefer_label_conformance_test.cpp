// The SDK's strategy conformance suite, which every routing strategy must pass: limits, tried
// and demoted accounts, determinism, and concurrent calls (run it under ThreadSanitizer too).
// One instantiation per configuration worth covering.

#include <memory>

#include "prefer_label_factory.hpp"
#include "sluice/sdk/testing/strategy_conformance.hpp"

namespace {

std::unique_ptr<sluice::sdk::RoutingStrategyFactory> makeFactory() {
    return std::make_unique<sluice::plugins::prefer_label::PreferLabelFactory>();
}

}  // namespace

SLUICE_INSTANTIATE_STRATEGY_CONFORMANCE(
    PreferLabel,
    sluice::sdk::testing::StrategyConformanceParam{
        "with_fallback", makeFactory, {{"label", "tier=pro"}}},
    // Without fallback, accounts lacking the label are left out on purpose: not offers_all.
    sluice::sdk::testing::StrategyConformanceParam{
        "without_fallback", makeFactory, {{"label", "tier=pro"}, {"fallback", "false"}}, false});
