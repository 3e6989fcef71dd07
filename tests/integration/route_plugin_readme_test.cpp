// A route plugin's README is a contract: its pipeline example loads with the plugin's real
// shared library, and its configuration table lists exactly the keys and defaults of the schema.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <ostream>
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

/// One route plugin under test: its directory, the family its README mounts, and where.
struct RoutePlugin {
    std::string directory;
    std::string family;
    std::string mount;
};

// NOLINTNEXTLINE(readability-identifier-naming): gtest looks this name up
void PrintTo(const RoutePlugin& plugin, std::ostream* out) {
    *out << plugin.directory;
}

std::string readme(const RoutePlugin& plugin) {
    std::ifstream file(fs::path(SLUICE_SOURCE_DIR) / "plugins" / plugin.directory / "README.md");
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

void loadExample(const RoutePlugin& plugin, LoadedExample& loaded) {
    sdk::testing::TempDirectory directory("sluice-route-readme");
    const fs::path file = directory.path() / "sluice.yaml";
    std::ofstream(file) << kPipelineRest << firstYamlBlock(readme(plugin));
    const core::config::PipelineLoader loader(testEnvironment, {fs::path(SLUICE_PLUGIN_DIR)});
    loaded.issues = loader.load(file, loaded.registry, loaded.pipeline);
}

class RoutePluginReadmeTest : public ::testing::TestWithParam<RoutePlugin> {};

TEST_P(RoutePluginReadmeTest, TheExampleIsAWorkingPipelineWithTheFamilyMounted) {
    const RoutePlugin& plugin = GetParam();
    ASSERT_FALSE(firstYamlBlock(readme(plugin)).empty()) << "no ```yaml block in the README";
    LoadedExample loaded;
    loadExample(plugin, loaded);
    for (const auto& issue : loaded.issues) {
        ADD_FAILURE() << issue.describe();
    }
    ASSERT_TRUE(loaded.issues.empty());
    bool mounted = false;
    for (const auto& route : loaded.pipeline.routes) {
        mounted = mounted || (route.family == plugin.family && route.mount == plugin.mount);
    }
    EXPECT_TRUE(mounted);
}

TEST_P(RoutePluginReadmeTest, TheConfigurationTableMatchesTheSchema) {
    const RoutePlugin& plugin = GetParam();
    LoadedExample loaded;
    loadExample(plugin, loaded);
    ASSERT_TRUE(loaded.issues.empty());
    const sdk::RouteFamilyFactory* factory = loaded.registry.routeFamily(plugin.family);
    ASSERT_NE(factory, nullptr);
    std::map<std::string, std::string> schema;
    for (const auto& field : factory->schema()) {
        schema[field.key] = field.default_value.value_or(field.required ? "(required)" : "(none)");
    }
    EXPECT_EQ(configurationTable(readme(plugin)), schema);
}

INSTANTIATE_TEST_SUITE_P(Plugins, RoutePluginReadmeTest,
                         ::testing::Values(RoutePlugin{"route-openai", "openai_v1", "/v1"},
                                           RoutePlugin{"route-appserver", "codex_projects",
                                                       "/api"}));

}  // namespace
}  // namespace sluice::tests::integration
