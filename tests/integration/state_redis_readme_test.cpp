// The state-redis README is a contract: its example is a working pipeline loaded with the
// plugin's real shared library, and its table lists exactly the keys and defaults of the schema.

#include <gtest/gtest.h>

#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/integration/plugin_readme.hpp"

namespace sluice::tests::integration {
namespace {

TEST(StateRedisReadmeTest, TheExampleIsAWorkingPipeline) {
    LoadedExample loaded;
    loadReadmeExample("state-redis", loaded);
    for (const auto& issue : loaded.issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(loaded.issues.empty());
    ASSERT_EQ(loaded.pipeline.shared_state.type, "redis");
    sdk::testing::FakeHost host;
    EXPECT_NE(
        loaded.registry.createSharedState("redis", *loaded.pipeline.shared_state.config, host),
        nullptr);
}

TEST(StateRedisReadmeTest, TheTableListsTheSchema) {
    LoadedExample loaded;
    loadReadmeExample("state-redis", loaded);
    const sdk::SharedStateFactory* factory = loaded.registry.sharedState("redis");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(configurationTable(pluginReadme("state-redis")), schemaDefaults(factory->schema()));
}

}  // namespace
}  // namespace sluice::tests::integration
