// The pipelines that name storage-postgres, loaded as `sluice` loads them against the cluster
// storage_postgres_test.cpp starts for this binary: the plugin README's example, the example
// pipeline in config/examples/postgres.yaml, and a pipeline that gives no password.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "core/config/pipeline_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/storage_wallets.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"
#include "tests/integration/plugin_readme.hpp"
#include "tests/support/postgres_server.hpp"

namespace sluice::tests::integration {
namespace {

namespace fs = std::filesystem;

/// Loads a pipeline text as `sluice` would, with the environment the README example names; each
/// issue is a test failure. True when there was none.
bool loadPipeline(const std::string& yaml, core::plugin::PluginRegistry& registry,
                  core::config::Pipeline& pipeline) {
    sdk::testing::TempDirectory directory("sluice-postgres-pipeline");
    const fs::path file = directory.path() / "sluice.yaml";
    std::ofstream(file) << yaml;
    const std::string uri =
        PostgresEnvironment::server().uri(PostgresEnvironment::server().createDatabase());
    const auto environment = [&](const std::string& name) -> std::optional<std::string> {
        if (name == "SLUICE_SECRET_KEY") {
            return std::string(64, 'a');  // 32 bytes, hex
        }
        if (name == "SLUICE_POSTGRES_URI") {
            return uri;
        }
        if (name == "SLUICE_POSTGRES_PASSWORD") {
            return std::string();  // the test cluster trusts local connections
        }
        return std::nullopt;
    };
    const core::config::PipelineLoader loader(environment, {fs::path(SLUICE_PLUGIN_DIR)});
    const core::config::ConfigIssues issues = loader.load(file, registry, pipeline);
    for (const auto& issue : issues) {
        ADD_FAILURE() << issue.describe();
    }
    return issues.empty();
}

TEST(StoragePostgresPipelineTest, APipelineWithoutAPasswordLoads) {
    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    ASSERT_TRUE(
        loadPipeline("version: 1\nplugins: { load: [storage-postgres] }\n"
                     "storage: { type: postgres, config: { uri#env: SLUICE_POSTGRES_URI } }\n"
                     "secrets: { key#env: SLUICE_SECRET_KEY }\n",
                     registry, pipeline));
    EXPECT_EQ(pipeline.storage.type, "postgres");
}

TEST(StoragePostgresPipelineTest, TheReadmeExampleIsAWorkingPipeline) {
    const std::string readme = pluginReadme("storage-postgres");
    const std::string yaml = firstYamlBlock(readme);
    ASSERT_FALSE(yaml.empty()) << "no ```yaml block";
    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    ASSERT_TRUE(loadPipeline(yaml, registry, pipeline));
    ASSERT_EQ(pipeline.storage.type, "postgres");

    sdk::testing::FakeHost host;
    const auto storage = registry.createStorage("postgres", *pipeline.storage.config, host);
    ASSERT_NE(storage, nullptr);
    EXPECT_TRUE(storage->migrate().ok());
    EXPECT_TRUE(storage->ping().ok());

    const sdk::StorageBackendFactory* factory = registry.storageBackend("postgres");
    ASSERT_NE(factory, nullptr);
    EXPECT_EQ(configurationTable(readme), schemaDefaults(factory->schema()));
}

TEST(StoragePostgresPipelineTest, TheExamplePipelineOpensAStoreThatKeepsWallets) {
    std::ifstream in(fs::path(SLUICE_SOURCE_DIR) / "config/examples/postgres.yaml");
    const std::string yaml((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_FALSE(yaml.empty());
    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    ASSERT_TRUE(loadPipeline(yaml, registry, pipeline));
    EXPECT_FALSE(pipeline.billing.journal.empty());

    sdk::testing::FakeHost host;
    const auto storage = registry.createStorage("postgres", *pipeline.storage.config, host);
    ASSERT_NE(storage, nullptr);
    ASSERT_TRUE(storage->migrate().ok());
    EXPECT_NE(dynamic_cast<sdk::StoresWallets*>(storage.get()), nullptr)
        << "billing: is on in the example, so its storage must keep wallets";
}

}  // namespace
}  // namespace sluice::tests::integration
