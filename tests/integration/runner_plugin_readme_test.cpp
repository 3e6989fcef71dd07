// The route-runner README is a contract: its pipeline example loads with the plugin's real
// shared library, and its configuration table lists exactly the keys (nested ones dotted) and
// defaults of the schema.
#include <gtest/gtest.h>

#include "tests/integration/plugin_readme.hpp"

namespace sluice::tests::integration {
namespace {

TEST(RunnerPluginReadmeTest, TheExampleIsAWorkingPipelineWithTheRunnerMount) {
    ASSERT_FALSE(firstYamlBlock(pluginReadme("route-runner")).empty()) << "no ```yaml block";
    LoadedExample loaded;
    loadReadmeExample("route-runner", loaded);
    for (const auto& issue : loaded.issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(loaded.issues.empty());
    bool mounted = false;
    for (const auto& route : loaded.pipeline.routes) {
        mounted = mounted || (route.family == "codex_runner" && route.mount == "/runner");
    }
    EXPECT_TRUE(mounted);
}

TEST(RunnerPluginReadmeTest, TheConfigurationTableMatchesTheSchema) {
    LoadedExample loaded;
    loadReadmeExample("route-runner", loaded);
    ASSERT_TRUE(loaded.issues.empty());
    const sdk::RouteFamilyFactory* factory = loaded.registry.routeFamily("codex_runner");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(configurationTable(pluginReadme("route-runner")), schemaDefaults(factory->schema()));
}

}  // namespace
}  // namespace sluice::tests::integration
