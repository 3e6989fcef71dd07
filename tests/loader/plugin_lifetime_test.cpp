// Plugin code must stay mapped while anything it made is alive, and not a moment longer than
// needed (reference/aesthetics.md E4b). The fixtures include no Boost, so dlclose really unmaps
// them, and a use after unload crashes instead of passing by luck.

#include <dlfcn.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/loader/loader_fixtures.hpp"

namespace sluice::tests::loader {
namespace {

using core::plugin::PluginLoader;
using core::plugin::PluginRegistry;
using ::testing::ElementsAre;

// True while the library at `path` is mapped into the process (RTLD_NOLOAD never loads).
bool isMapped(const fs::path& path) {
    void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD);
    if (handle == nullptr) {
        return false;
    }
    ::dlclose(handle);
    return true;
}

std::vector<std::uint32_t> orderThree(sdk::RoutingStrategy& strategy) {
    std::vector<sdk::Candidate> candidates(3);
    sdk::PickContext context;
    context.candidates = candidates.data();
    context.candidate_count = candidates.size();
    context.limit = 2;
    std::vector<std::uint32_t> order;
    strategy.order(context, order);
    return order;
}

// The registry once released an entry's library before deleting its factory, so destroying it
// ran the factory's (plugin) destructor from unmapped code.
TEST(PluginLifetimeTest, DestroyingTheRegistryUnloadsThePluginSafely) {
    const auto path = fixturePath("fixture-valid");
    ASSERT_FALSE(isMapped(path));
    {
        PluginRegistry registry;
        PluginLoader loader({fixtureDir()}, registry);
        loader.load("fixture-valid");
        EXPECT_TRUE(isMapped(path));
    }
    EXPECT_FALSE(isMapped(path));
}

TEST(PluginLifetimeTest, StrategyOutlivesRegistryAndLoader) {
    const auto path = fixturePath("fixture-valid");
    sdk::testing::FakeHost host;
    std::shared_ptr<sdk::RoutingStrategy> strategy;
    {
        auto registry = std::make_unique<PluginRegistry>();
        auto loader =
            std::make_unique<PluginLoader>(std::vector<fs::path>{fixtureDir()}, *registry);
        loader->load("fixture-valid");
        strategy =
            registry->createStrategy("fixture_first", *sdk::testing::FakeConfig::map({}), host);
        loader.reset();
        registry.reset();
    }

    ASSERT_TRUE(isMapped(path)) << "the strategy's deleter must keep its library loaded";
    EXPECT_THAT(orderThree(*strategy), ElementsAre(0u, 1u));
    strategy->onOutcome(sdk::Outcome{});
    strategy.reset();
    EXPECT_FALSE(isMapped(path)) << "the last object gone, nothing should pin the library";
}

}  // namespace
}  // namespace sluice::tests::loader
