#pragma once

// The routing-strategy conformance suite: what every sdk::RoutingStrategy must do, whatever
// order it prefers. A strategy's test binary instantiates it with a way to make its factory
// and, optionally, config values over the schema's defaults:
//
//   #include "sluice/sdk/testing/strategy_conformance.hpp"
//
//   SLUICE_INSTANTIATE_STRATEGY_CONFORMANCE(MyStrategy,
//   sluice::sdk::testing::StrategyConformanceParam{
//       "my_strategy", [] { return std::make_unique<MyStrategyFactory>(); }, {{"label",
//       "tier=pro"}}});
//
// and links Sluice::sdk_testing and GTest::gtest_main. Use the macro at namespace scope, once
// per binary and prefix; list several params (e.g. one per setting worth covering) in one call.
//
// Every test creates fresh strategies through the factory, with FakeHost and a FakeConfig
// holding the schema's defaults and the param's values (configFromSchema). Checked:
// - the factory's name is snake_case, its description and every schema key are described, and
//   create() accepts the schema's defaults (plus the param's values);
// - order() appends after what `out` already holds and leaves that alone; appends at most
//   `limit` indices, each in range, none twice, none of a `tried` candidate; with
//   `offers_all`, exactly min(limit, untried) of them; never a demoted candidate
//   (cooldown_until > now) before a healthy one; nothing for an empty snapshot or a zero limit;
// - two fresh instances fed the same calls (same snapshots, seeds and outcomes) return the same
//   orders, with or without an affinity seed; for a strategy that derives from ReadsLiveFields,
//   also when the live fields it does not declare are left unset, as the host leaves them;
// - order() and onOutcome() called from several threads at once on one instance keep every
//   answer valid. Run the binary under ThreadSanitizer to check for data races as well.
// Snapshots are generated from a fixed seed: varied weights, priorities, labels, in-flight
// counts, quota windows (unknown, partly used, past their reset), cooldowns, last successes and
// latencies, random `tried` flags, 0 to 1000 candidates.
//
// The test bodies live in the sdk_testing static library; as for the storage suite, the macro
// references an anchor that pulls every suite file into the binary.

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include "sluice/sdk/routing_strategy.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/schema_config.hpp"

namespace sluice::sdk::testing {

/// Makes the factory under test. Called on the test thread, once per test or more.
using StrategyFactoryMaker = std::function<std::unique_ptr<RoutingStrategyFactory>()>;

/// One strategy (and configuration) under test.
struct StrategyConformanceParam {
    std::string name;  ///< shown in test names: letters, digits and '_' only
    StrategyFactoryMaker factory;
    /// Config values over the schema's defaults, e.g. {{"label", "tier=pro"}}.
    ConfigValues config = {};
    /// Whether order() offers every untried candidate up to the limit. False for strategies
    /// that deliberately leave some accounts out (e.g. prefer_label with fallback: false).
    bool offers_all = true;
};

/// Prints the strategy's name in gtest messages (gtest looks this name up).
// NOLINTNEXTLINE(readability-identifier-naming)
void PrintTo(const StrategyConformanceParam& param, std::ostream* out);

/// Names each instantiated test after the strategy.
std::string strategyConformanceName(const ::testing::TestParamInfo<StrategyConformanceParam>& info);

/// Per test: the factory, and fresh strategies configured from its schema and the param.
class StrategyConformanceTest : public ::testing::TestWithParam<StrategyConformanceParam> {
protected:
    void SetUp() override;

    const RoutingStrategyFactory& factory() const { return *factory_; }
    /// A new instance, as the host creates one per `strategies:` entry.
    RoutingStrategyPtr makeStrategy(HostServices& host) const;
    /// A new instance on this test's FakeHost.
    RoutingStrategyPtr makeStrategy() { return makeStrategy(host_); }

private:
    FakeHost host_;
    std::unique_ptr<RoutingStrategyFactory> factory_;
};

/// Pulls every file of the suite into the test binary; returns 0. Used by the macro below.
int linkStrategyConformanceSuite();

}  // namespace sluice::sdk::testing

/// Instantiates the suite; `prefix` becomes the first part of every test name. Expands inside
/// the fixture's namespace, where gtest matches it to the suite's TEST_Ps by spelled name.
#define SLUICE_INSTANTIATE_STRATEGY_CONFORMANCE(prefix, ...)                                  \
    namespace sluice::sdk::testing {                                                          \
    INSTANTIATE_TEST_SUITE_P(prefix, StrategyConformanceTest, ::testing::Values(__VA_ARGS__), \
                             strategyConformanceName);                                        \
    }                                                                                         \
    [[maybe_unused]] static const int sluice_strategy_conformance_linked_##prefix =           \
        ::sluice::sdk::testing::linkStrategyConformanceSuite()
