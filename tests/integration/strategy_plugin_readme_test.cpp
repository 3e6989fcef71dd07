// The strategy-builtin README is a contract: every ```yaml block in it is the strategies and
// pools of a working pipeline (loaded with the plugin's real shared library), together the
// blocks show every strategy the plugin registers, and each strategy's settings table lists
// exactly the keys and defaults of its schema.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/config/pipeline_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::tests::integration {
namespace {

namespace fs = std::filesystem;

// What the README's examples leave out: they are the strategies and pools of this pipeline.
constexpr const char* kPipelineRest =
    "version: 1\n"
    "plugins: { load: [storage-memory, strategy-builtin] }\n"
    "storage: { type: memory, config: {} }\n"
    "secrets: { key#env: SLUICE_SECRET_KEY }\n";

std::string readme() {
    std::ifstream file(fs::path(SLUICE_SOURCE_DIR) / "plugins" / "strategy-builtin" / "README.md");
    std::stringstream text;
    text << file.rdbuf();
    return text.str();
}

std::vector<std::string> yamlBlocks(const std::string& text) {
    std::vector<std::string> out;
    const std::string open = "```yaml\n";
    for (auto begin = text.find(open); begin != std::string::npos; begin = text.find(open, begin)) {
        begin += open.size();
        const auto end = text.find("```", begin);
        if (end == std::string::npos) {
            break;
        }
        out.push_back(text.substr(begin, end - begin));
        begin = end + 3;
    }
    return out;
}

// Settings tables by strategy: the `key` and `default` cells under each "## `name`" heading.
std::map<std::string, std::map<std::string, std::string>> settingsTables(const std::string& text) {
    std::map<std::string, std::map<std::string, std::string>> out;
    const std::regex heading(R"(^## `([a-z_]+)`$)");
    const std::regex row(R"(^\| `([a-z_]+)` \| [^|]+ \| `([^`]*)` \|)");
    std::istringstream lines(text);
    std::string line;
    std::string current;
    std::smatch match;
    while (std::getline(lines, line)) {
        if (std::regex_match(line, match, heading)) {
            current = match[1];
            out[current];
        } else if (line.rfind("## ", 0) == 0) {
            current.clear();
        } else if (!current.empty() && std::regex_search(line, match, row)) {
            out[current][match[1]] = match[2];
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

TEST(StrategyPluginReadmeTest, EveryExampleIsAWorkingPipeline) {
    const auto blocks = yamlBlocks(readme());
    ASSERT_FALSE(blocks.empty()) << "no ```yaml block in the README";

    std::set<std::string> shown;
    std::set<std::string> registered;
    for (std::size_t i = 0; i < blocks.size(); ++i) {
        SCOPED_TRACE("yaml block " + std::to_string(i + 1) + ":\n" + blocks[i]);
        sdk::testing::TempDirectory directory("sluice-strategy-readme");
        const fs::path file = directory.path() / "sluice.yaml";
        std::ofstream(file) << kPipelineRest << blocks[i];

        core::plugin::PluginRegistry registry;
        core::config::Pipeline pipeline;
        const core::config::PipelineLoader loader(testEnvironment, {fs::path(SLUICE_PLUGIN_DIR)});
        const core::config::ConfigIssues issues = loader.load(file, registry, pipeline);
        for (const auto& issue : issues) {
            ADD_FAILURE() << issue.describe();
        }
        ASSERT_TRUE(issues.empty());
        ASSERT_FALSE(pipeline.strategies.empty());
        ASSERT_FALSE(pipeline.pools.empty());
        for (const auto& name : registry.names(core::plugin::FactoryKind::RoutingStrategy)) {
            registered.insert(name);
        }

        // Each configured strategy orders a snapshot through the host's own create path.
        for (const auto& declared : pipeline.strategies) {
            shown.insert(declared.type);
            sdk::testing::FakeHost host;
            const auto strategy = registry.createStrategy(declared.type, *declared.config, host);
            ASSERT_NE(strategy, nullptr);
            std::vector<sdk::Candidate> candidates(4);
            for (std::size_t c = 0; c < candidates.size(); ++c) {
                candidates[c].id_hash = 1000 + c;
            }
            candidates[1].tried = true;
            sdk::PickContext context;
            context.candidates = candidates.data();
            context.candidate_count = candidates.size();
            context.limit = 3;
            std::vector<std::uint32_t> out;
            strategy->order(context, out);
            EXPECT_EQ(out.size(), 3U) << declared.type;
            EXPECT_EQ(std::count(out.begin(), out.end(), 1U), 0) << declared.type;
        }
    }
    EXPECT_EQ(shown, registered) << "every registered strategy needs its own README example";
}

TEST(StrategyPluginReadmeTest, SettingsTablesMatchTheSchemas) {
    const auto tables = settingsTables(readme());
    core::plugin::PluginRegistry registry;
    core::config::Pipeline pipeline;
    sdk::testing::TempDirectory directory("sluice-strategy-readme");
    const fs::path file = directory.path() / "sluice.yaml";
    std::ofstream(file) << kPipelineRest;
    const core::config::PipelineLoader loader(testEnvironment, {fs::path(SLUICE_PLUGIN_DIR)});
    ASSERT_TRUE(loader.load(file, registry, pipeline).empty());

    const auto names = registry.names(core::plugin::FactoryKind::RoutingStrategy);
    ASSERT_EQ(names.size(), tables.size()) << "one README section per strategy";
    for (const auto& name : names) {
        ASSERT_EQ(tables.count(name), 1U) << "no section \"## `" << name << "`\"";
        std::map<std::string, std::string> schema;
        for (const auto& field : registry.strategy(name)->schema()) {
            schema[field.key] = field.default_value.value_or("(required)");
        }
        EXPECT_EQ(tables.at(name), schema) << name;
    }
}

}  // namespace
}  // namespace sluice::tests::integration
