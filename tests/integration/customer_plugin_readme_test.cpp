// The route-customer README is a contract: its pipeline example loads with the plugin's real
// shared library, and its configuration table lists exactly the keys (nested ones dotted) and
// defaults of the schema.
#include <gtest/gtest.h>

#include "tests/integration/plugin_readme.hpp"

namespace sluice::tests::integration {
namespace {

TEST(CustomerPluginReadmeTest, TheExampleIsAWorkingPipelineWithTheCustomerMount) {
    ASSERT_FALSE(firstYamlBlock(pluginReadme("route-customer")).empty()) << "no ```yaml block";
    LoadedExample loaded;
    loadReadmeExample("route-customer", loaded);
    for (const auto& issue : loaded.issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(loaded.issues.empty());
    bool mounted = false;
    for (const auto& route : loaded.pipeline.routes) {
        mounted = mounted || (route.family == "customer" && route.mount == "/api/v1");
    }
    EXPECT_TRUE(mounted);
}

TEST(CustomerPluginReadmeTest, TheConfigurationTableMatchesTheSchema) {
    LoadedExample loaded;
    loadReadmeExample("route-customer", loaded);
    ASSERT_TRUE(loaded.issues.empty());
    const sdk::RouteFamilyFactory* factory = loaded.registry.routeFamily("customer");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(configurationTable(pluginReadme("route-customer")),
              schemaDefaults(factory->schema()));
}

}  // namespace
}  // namespace sluice::tests::integration
