// The route-openai README is a contract: its pipeline example loads with the plugin's real
// shared library, and its configuration table lists exactly the keys and defaults of the schema.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>

#include "core/config/pipeline_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::tests::integration {
namespace {

namespace fs = std::filesystem;

// What the README's example leaves out (its `plugins:` and `routes:` complete it).
constexpr const char* kPipelineRest =
    "version: 1\n"
    "storage: { type: sqlite, config: { path: sluice.db } }\n"
    "secrets: { key#env: SLUICE_SECRET_KEY }\n"
    "strategies: { rotate: { type: round_robin } }\n"
    "pools: { default: { strategy: rotate } }\n";

std::string readme() {
    std::ifstream file(fs::path(SLUICE_SOURCE_DIR) / "plugins" / "route-openai" / "README.md");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::string firstYamlBlock(const std::string& text) {
    const std::string open = "```yaml\n";
    const auto begin = text.find(open);
    if (begin == std::string::npos) {
        return {};
    }
    const auto end = text.find("```", begin + open.size());
    return text.substr(begin + open.size(), end - begin - open.size());
}

// The `key` and `default` cells of the table under "## Configuration".
std::map<std::string, std::string> configurationTable(const std::string& text) {
    const std::regex row(R"(^\| `([a-z_]+)` \| [^|]+ \| `([^`]*)` \|)");
    std::map<std::string, std::string> out;
    std::istringstream lines(text);
    std::string line;
    bool inside = false;
    std::smatch match;
    while (std::getline(lines, line)) {
        if (line.rfind("## ", 0) == 0) {
            inside = line == "## Configuration";
        } else if (inside && std::regex_search(line, match, row)) {
            out[match[1]] = match[2];
        }
    }
    return out;
}

std::optional<std::string> testEnvironment(const std::string& name) {
    if (name == "SLUICE_SECRET_KEY") {
        return std::string(64, 'a');  // 32 bytes, hex
    }
    return std::nullopt;
}

struct LoadedExample {
    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    core::config::ConfigIssues issues;
};

void loadExample(LoadedExample& loaded) {
    sdk::testing::TempDirectory directory("sluice-openai-readme");
    const fs::path file = directory.path() / "sluice.yaml";
    std::ofstream(file) << kPipelineRest << firstYamlBlock(readme());
    const core::config::PipelineLoader loader(testEnvironment, {fs::path(SLUICE_PLUGIN_DIR)});
    loaded.issues = loader.load(file, loaded.registry, loaded.pipeline);
}

TEST(OpenAiPluginReadmeTest, TheExampleIsAWorkingPipelineWithTheV1Mount) {
    ASSERT_FALSE(firstYamlBlock(readme()).empty()) << "no ```yaml block in the README";
    LoadedExample loaded;
    loadExample(loaded);
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
    loadExample(loaded);
    ASSERT_TRUE(loaded.issues.empty());
    const sdk::RouteFamilyFactory* factory = loaded.registry.routeFamily("openai_v1");
    ASSERT_NE(factory, nullptr);
    std::map<std::string, std::string> schema;
    for (const auto& field : factory->schema()) {
        schema[field.key] = field.default_value.value_or("(required)");
    }
    EXPECT_EQ(configurationTable(readme()), schema);
}

}  // namespace
}  // namespace sluice::tests::integration
