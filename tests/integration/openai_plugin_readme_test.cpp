// The route-openai README is a contract: its pipeline example loads with the plugin's real
// shared library, and its configuration table lists exactly the keys and defaults of the schema.
#include <gtest/gtest.h>

#include "tests/integration/plugin_readme.hpp"

namespace sluice::tests::integration {
namespace {

TEST(OpenAiPluginReadmeTest, TheExampleIsAWorkingPipelineWithTheV1Mount) {
    ASSERT_FALSE(firstYamlBlock(pluginReadme("route-openai")).empty()) << "no ```yaml block";
    LoadedExample loaded;
    loadReadmeExample("route-openai", loaded);
    for (const auto& issue : loaded.issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(loaded.issues.empty());
    bool mounted = false;
    for (const auto& route : loaded.pipeline.routes) {
        mounted = mounted || (route.family == "openai_v1" && route.mount == "/v1");
    }
    EXPECT_TRUE(mounted);
}

TEST(OpenAiPluginReadmeTest, TheConfigurationTableMatchesTheSchema) {
    LoadedExample loaded;
    loadReadmeExample("route-openai", loaded);
    ASSERT_TRUE(loaded.issues.empty());
    const sdk::RouteFamilyFactory* factory = loaded.registry.routeFamily("openai_v1");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(configurationTable(pluginReadme("route-openai")), schemaDefaults(factory->schema()));
}

}  // namespace
}  // namespace sluice::tests::integration
