// The host's half of the out-of-tree SDK example check (driven by sdk_example_test.cmake): load
// the C++17 plugin built against the installed SDK into this C++20 host, configure it from the
// YAML in its README the way the pipeline loader does, and order a candidate snapshot; then run
// the whole gateway with it as a pool's strategy and route real requests to the emulator.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/config/config_tree.hpp"
#include "core/config/schema_validator.hpp"
#include "core/config/yaml_reader.hpp"
#include "core/plugin/plugin_loader.hpp"
#include "core/plugin/plugin_registry.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::tests::loader {
namespace {

namespace fs = std::filesystem;
using core::config::ConfigIssues;
using core::config::ConfigTree;

// The first ```yaml block of the example's README.
std::string readmeYaml() {
    std::ifstream file(SLUICE_EXAMPLE_README);
    std::stringstream text;
    text << file.rdbuf();
    const std::string readme = text.str();
    const std::string open = "```yaml\n";
    const auto begin = readme.find(open);
    const auto end = readme.find("```", begin == std::string::npos ? 0 : begin + open.size());
    if (begin == std::string::npos || end == std::string::npos) {
        return {};
    }
    return readme.substr(begin + open.size(), end - begin - open.size());
}

std::string describe(const ConfigIssues& issues) {
    std::string out;
    for (const auto& issue : issues) {
        out += issue.describe() + "\n";
    }
    return out;
}

TEST(SdkExampleHostTest, LoadsTheOutOfTreePluginAndOrdersASnapshot) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before anything else runs.
    const char* plugin_dir = std::getenv("SLUICE_EXAMPLE_PLUGIN_DIR");
    ASSERT_NE(plugin_dir, nullptr) << "run through sdk_example_test.cmake, which builds the plugin";

    ConfigIssues issues;
    const auto no_env = [](const std::string&) { return std::optional<std::string>(); };
    const ConfigTree::Ptr pipeline = core::config::readYaml(readmeYaml(), no_env, issues);
    ASSERT_NE(pipeline, nullptr) << "no YAML example in " << SLUICE_EXAMPLE_README;
    ASSERT_TRUE(issues.empty()) << describe(issues);

    // The README's `plugins.paths` is an operator's; the plugin under test is in the build dir.
    core::plugin::PluginRegistry registry;
    core::plugin::PluginLoader loader({fs::path(plugin_dir)}, registry);
    for (const auto& name : pipeline->find("plugins")->find("load")->items()) {
        loader.load(name->scalar());
    }

    ConfigTree* strategy = pipeline->find("strategies")->find("pro_first");
    ASSERT_NE(strategy, nullptr);
    const std::string type = strategy->find("type")->scalar();
    const auto* factory = registry.strategy(type);
    ASSERT_NE(factory, nullptr) << "no strategy '" << type << "' registered";
    ConfigTree& config = core::config::ensureMap(*strategy, "config");
    core::config::validateAgainstSchema(config, factory->schema(), issues);
    ASSERT_TRUE(issues.empty()) << describe(issues);
    ASSERT_NE(config.find("fallback"), nullptr);
    EXPECT_TRUE(config.find("fallback")->defaulted());

    sdk::testing::FakeHost host;
    const auto ordering = registry.createStrategy(type, config, host);
    const std::vector<std::pair<std::string, std::string>> free{{"tier", "free"}};
    const std::vector<std::pair<std::string, std::string>> pro{{"tier", "pro"}};
    std::vector<sdk::Candidate> candidates(4);
    candidates[0].labels = &free;
    candidates[1].labels = &pro;
    candidates[3].labels = &pro;
    sdk::PickContext context;
    context.candidates = candidates.data();
    context.candidate_count = candidates.size();
    context.limit = 3;

    std::vector<std::uint32_t> first;
    ordering->order(context, first);
    std::vector<std::uint32_t> second;
    ordering->order(context, second);
    EXPECT_EQ(first, (std::vector<std::uint32_t>{1, 3, 0}));
    EXPECT_EQ(second, (std::vector<std::uint32_t>{3, 1, 2}));
}

TEST(SdkExampleHostTest, RoutesTrafficToTheLabelledAccounts) {
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before anything else runs.
    const char* plugin_dir = std::getenv("SLUICE_EXAMPLE_PLUGIN_DIR");
    ASSERT_NE(plugin_dir, nullptr) << "run through sdk_example_test.cmake, which builds the plugin";

    integration::HarnessOptions options;
    options.emulator_script =
        "accounts:\n"
        "  - { id: acct-free, access_token: tok-free, behaviour: { mode: normal } }\n"
        "  - { id: acct-pro-1, access_token: tok-pro-1, behaviour: { mode: normal } }\n"
        "  - { id: acct-pro-2, access_token: tok-pro-2, behaviour: { mode: normal } }\n";
    options.accounts = {
        {"acct-free", "tok-free"}, {"acct-pro-1", "tok-pro-1"}, {"acct-pro-2", "tok-pro-2"}};
    options.account_labels = {{"acct-free", {{"tier", "free"}}},
                              {"acct-pro-1", {{"tier", "pro"}, {"region", "eu"}}},
                              {"acct-pro-2", {{"region", "us"}, {"tier", "pro"}}}};
    options.plugin_paths = {plugin_dir};
    options.plugins = {"strategy-prefer-label"};
    options.strategy = "prefer_label";
    options.strategy_config = "{ label: tier=pro }";
    integration::GatewayHarness harness(options);

    for (int i = 0; i < 6; ++i) {
        const auto reply =
            harness.postResponses(integration::GatewayHarness::turnBody("hi " + std::to_string(i)));
        ASSERT_EQ(reply.status, 200) << reply.body;
    }
    // Round robin inside the labelled group; the unlabelled account gets nothing.
    EXPECT_EQ(harness.modelRequestsByAccount(),
              (std::map<std::string, int>{{"acct-pro-1", 3}, {"acct-pro-2", 3}}));

    // With both labelled accounts at their usage limit, `fallback: true` sends traffic to the rest.
    harness.setBehaviour("acct-pro-1", R"({"mode":"usage_limit","resets_in":"1h"})");
    harness.setBehaviour("acct-pro-2", R"({"mode":"usage_limit","resets_in":"1h"})");
    const auto reply = harness.postResponses(integration::GatewayHarness::turnBody("fallback"));
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(harness.modelRequestsByAccount().count("acct-free"), 1U);
}

}  // namespace
}  // namespace sluice::tests::loader
