// Each storage plugin's README example is a working pipeline: the pipeline loader accepts it,
// loads the real shared library, and the configured backend opens, migrates and answers ping.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "core/config/pipeline_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::tests::integration {
namespace {

namespace fs = std::filesystem;

/// The first ```yaml block of a README.
std::string readmeYaml(const fs::path& readme) {
    std::ifstream file(readme);
    std::stringstream text;
    text << file.rdbuf();
    const std::string content = text.str();
    const std::string open = "```yaml\n";
    const auto begin = content.find(open);
    if (begin == std::string::npos) {
        return {};
    }
    const auto end = content.find("```", begin + open.size());
    return end == std::string::npos
               ? std::string()
               : content.substr(begin + open.size(), end - begin - open.size());
}

std::optional<std::string> testEnvironment(const std::string& name) {
    if (name == "SLUICE_SECRET_KEY") {
        return std::string(64, 'a');  // 32 bytes, hex
    }
    return std::nullopt;
}

struct ReadmeCase {
    const char* plugin;
    const char* storage_type;
};

class StoragePluginReadmeTest : public ::testing::TestWithParam<ReadmeCase> {};

TEST_P(StoragePluginReadmeTest, ExamplePipelineOpensAWorkingBackend) {
    const fs::path readme =
        fs::path(SLUICE_SOURCE_DIR) / "plugins" / GetParam().plugin / "README.md";
    const std::string yaml = readmeYaml(readme);
    ASSERT_FALSE(yaml.empty()) << "no ```yaml block in " << readme;

    sdk::testing::TempDirectory directory("sluice-readme");
    const fs::path pipeline_file = directory.path() / "sluice.yaml";
    std::ofstream(pipeline_file) << yaml;

    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    const core::config::PipelineLoader loader(testEnvironment, {fs::path(SLUICE_PLUGIN_DIR)});
    const core::config::ConfigIssues issues = loader.load(pipeline_file, registry, pipeline);
    for (const auto& issue : issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(issues.empty());
    EXPECT_EQ(pipeline.storage.type, GetParam().storage_type);
    ASSERT_NE(pipeline.storage.config, nullptr);

    // The example's relative `path` belongs to an operator's working directory, not to tests.
    auto config = pipeline.storage.config->clone(pipeline.storage.config->path());
    if (config->find("path") != nullptr) {
        config->set("path", core::config::ConfigTree::makeScalar(
                                config->find("path")->path(),
                                (directory.path() / "var" / "sluice.db").string()));
    }

    sdk::testing::FakeHost host;
    const auto storage = registry.createStorage(pipeline.storage.type, *config, host);
    ASSERT_NE(storage, nullptr);
    EXPECT_TRUE(storage->migrate().ok());
    EXPECT_TRUE(storage->ping().ok());
}

INSTANTIATE_TEST_SUITE_P(Plugins, StoragePluginReadmeTest,
                         ::testing::Values(ReadmeCase{"storage-sqlite", "sqlite"},
                                           ReadmeCase{"storage-memory", "memory"}),
                         [](const ::testing::TestParamInfo<ReadmeCase>& info) {
                             return std::string(info.param.storage_type);
                         });

}  // namespace
}  // namespace sluice::tests::integration
