// The route-anthropic README is a contract: its pipeline example loads with the plugin's real
// shared library (beside openai_v1 on the same /v1 mount), and its configuration table lists
// exactly the keys and defaults of the schema.
#include <gtest/gtest.h>

#include "tests/integration/plugin_readme.hpp"

namespace sluice::tests::integration {
namespace {

TEST(AnthropicPluginReadmeTest, TheExampleSharesTheV1MountWithOpenAi) {
    ASSERT_FALSE(firstYamlBlock(pluginReadme("route-anthropic")).empty()) << "no ```yaml block";
    LoadedExample loaded;
    loadReadmeExample("route-anthropic", loaded);
    for (const auto& issue : loaded.issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(loaded.issues.empty());
    int at_v1 = 0;
    for (const auto& route : loaded.pipeline.routes) {
        at_v1 += (route.family == "anthropic_messages" || route.family == "openai_v1") &&
                 route.mount == "/v1";
    }
    EXPECT_EQ(at_v1, 2);
}

TEST(AnthropicPluginReadmeTest, TheConfigurationTableMatchesTheSchema) {
    LoadedExample loaded;
    loadReadmeExample("route-anthropic", loaded);
    ASSERT_TRUE(loaded.issues.empty());
    const sdk::RouteFamilyFactory* factory = loaded.registry.routeFamily("anthropic_messages");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(configurationTable(pluginReadme("route-anthropic")),
              schemaDefaults(factory->schema()));
}

}  // namespace
}  // namespace sluice::tests::integration
