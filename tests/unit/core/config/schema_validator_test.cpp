#include "core/config/schema_validator.hpp"

#include <gtest/gtest.h>

#include "core/config/yaml_reader.hpp"

namespace sluice::core::config {
namespace {

namespace field = sdk::field;

ConfigTree::Ptr parse(const std::string& text) {
    ConfigIssues issues;
    auto tree = readYaml(
        text, [](const std::string&) { return std::nullopt; }, issues);
    EXPECT_TRUE(issues.empty());
    return tree;
}

std::vector<std::string> messages(const ConfigIssues& issues) {
    std::vector<std::string> out;
    for (const auto& issue : issues) {
        out.push_back(issue.path + ": " + issue.message);
    }
    return out;
}

const sdk::ConfigSchema kSchema{
    field::duration("window", "how long").defaultsTo("30s"),
    field::size("limit", "how big").defaultsTo("16MiB"),
    field::integer("count", "how many").between(1, 10).defaultsTo("3"),
    field::string("mode", "which").oneOf({"fast", "slow"}).defaultsTo("fast"),
    field::string("name", "who").mandatory(),
    field::objectMap("pools", "named", {field::string("strategy", "s").mandatory()}),
};

TEST(SchemaValidatorTest, AppliesDefaultsForAbsentKeys) {
    auto tree = parse("name: a\n");
    ConfigIssues issues;
    validateAgainstSchema(*tree, kSchema, issues);
    EXPECT_TRUE(issues.empty()) << ::testing::PrintToString(messages(issues));
    EXPECT_EQ(tree->find("window")->scalar(), "30s");
    EXPECT_TRUE(tree->find("window")->defaulted());
    EXPECT_EQ(tree->find("count")->scalar(), "3");
    EXPECT_EQ(tree->find("window")->path(), "window");
}

TEST(SchemaValidatorTest, SuggestsTheClosestKnownKey) {
    auto tree = parse("name: a\nwindw: 5s\n");
    ConfigIssues issues;
    validateAgainstSchema(*tree, kSchema, issues);
    ASSERT_EQ(issues.size(), 1U);
    EXPECT_EQ(issues[0].path, "windw");
    EXPECT_EQ(issues[0].message, "unknown key 'windw'; did you mean 'window'?");
    EXPECT_EQ(issues[0].line, 2);
}

TEST(SchemaValidatorTest, ListsExpectedKeysWhenNothingIsClose) {
    auto tree = parse("name: a\nzzzzzzzzz: 1\n");
    ConfigIssues issues;
    validateAgainstSchema(*tree, kSchema, issues);
    ASSERT_EQ(issues.size(), 1U);
    EXPECT_EQ(issues[0].message,
              "unknown key 'zzzzzzzzz' (expected one of: window, limit, count, mode, name, pools)");
}

TEST(SchemaValidatorTest, ReportsEveryTypeProblemWithItsPath) {
    auto tree = parse("window: 30\nlimit: big\ncount: 11\nmode: medium\npools:\n  team: {}\n");
    ConfigIssues issues;
    validateAgainstSchema(*tree, kSchema, issues);
    EXPECT_EQ(messages(issues),
              (std::vector<std::string>{
                  "window: expected a duration with a unit, e.g. 250ms, 30s, 5m, 1h",
                  "limit: expected a size with a unit, e.g. 512KiB, 16MiB",
                  "count: must be between 1 and 10",
                  "mode: 'medium' is not one of: fast, slow",
                  "name: missing required key",
                  "pools.team.strategy: missing required key",
              }));
}

TEST(SchemaValidatorTest, BoundsASizeInBytes) {
    const sdk::ConfigSchema schema{field::size("cap", "c").between(1024, 1024 * 1024)};
    ConfigIssues issues;
    validateAgainstSchema(*parse("cap: 1KiB\n"), schema, issues);
    validateAgainstSchema(*parse("cap: 1MiB\n"), schema, issues);
    EXPECT_TRUE(issues.empty()) << ::testing::PrintToString(messages(issues));
    validateAgainstSchema(*parse("cap: 2MiB\n"), schema, issues);
    validateAgainstSchema(*parse("cap: 1023B\n"), schema, issues);
    EXPECT_EQ(messages(issues),
              (std::vector<std::string>{"cap: must be between 1024 and 1048576 bytes",
                                        "cap: must be between 1024 and 1048576 bytes"}));
}

TEST(SchemaValidatorTest, MarksSecretFieldsForRedaction) {
    const sdk::ConfigSchema schema{field::string("password", "p").sensitive()};
    auto tree = parse("password: hunter2\n");
    ConfigIssues issues;
    validateAgainstSchema(*tree, schema, issues);
    EXPECT_TRUE(tree->find("password")->secret());
}

}  // namespace
}  // namespace sluice::core::config
