// The route-appserver README is a contract: its pipeline example loads with the plugin's real
// shared library, and its configuration table lists exactly the keys and defaults of the schema.
#include <gtest/gtest.h>

#include "tests/integration/plugin_readme.hpp"

namespace sluice::tests::integration {
namespace {

TEST(AppServerPluginReadmeTest, TheExampleIsAWorkingPipelineWithTheApiMount) {
    ASSERT_FALSE(firstYamlBlock(pluginReadme("route-appserver")).empty()) << "no ```yaml block";
    LoadedExample loaded;
    loadReadmeExample("route-appserver", loaded);
    for (const auto& issue : loaded.issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(loaded.issues.empty());
    bool mounted = false;
    for (const auto& route : loaded.pipeline.routes) {
        mounted = mounted || (route.family == "codex_projects" && route.mount == "/api");
    }
    EXPECT_TRUE(mounted);
}

TEST(AppServerPluginReadmeTest, TheConfigurationTableMatchesTheSchema) {
    LoadedExample loaded;
    loadReadmeExample("route-appserver", loaded);
    ASSERT_TRUE(loaded.issues.empty());
    const sdk::RouteFamilyFactory* factory = loaded.registry.routeFamily("codex_projects");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(configurationTable(pluginReadme("route-appserver")),
              schemaDefaults(factory->schema()));
}

}  // namespace
}  // namespace sluice::tests::integration
