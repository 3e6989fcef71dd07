#include "core/config/yaml_reader.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>

namespace sluice::core::config {
namespace {

EnvLookup fakeEnv(std::map<std::string, std::string> values) {
    return [values = std::move(values)](const std::string& name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end()) {
            return std::nullopt;
        }
        return it->second;
    };
}

TEST(YamlReaderTest, ResolvesEnvironmentReferenceIntoSecretValue) {
    ConfigIssues issues;
    const auto tree =
        readYaml("secrets:\n  key#env: MY_KEY\n", fakeEnv({{"MY_KEY", "s3cret"}}), issues);
    ASSERT_TRUE(issues.empty());
    const ConfigTree* key = tree->find("secrets")->find("key");
    ASSERT_NE(key, nullptr);
    EXPECT_EQ(key->scalar(), "s3cret");
    EXPECT_TRUE(key->secret());
    EXPECT_EQ(key->path(), "secrets.key");
}

TEST(YamlReaderTest, ReportsMissingEnvironmentVariableAtItsPath) {
    ConfigIssues issues;
    readYaml("secrets:\n  key#env: ABSENT\n", fakeEnv({}), issues);
    ASSERT_EQ(issues.size(), 1U);
    EXPECT_EQ(issues[0].path, "secrets.key#env");
    EXPECT_EQ(issues[0].message, "environment variable ABSENT is not set");
    EXPECT_EQ(issues[0].line, 2);
}

TEST(YamlReaderTest, ReadsFileReferenceWithoutTrailingNewline) {
    const std::string path = ::testing::TempDir() + "yaml_reader_secret.txt";
    std::ofstream(path) << "from-file\n";
    ConfigIssues issues;
    const auto tree = readYaml("token#file: " + path + "\n", fakeEnv({}), issues);
    ASSERT_TRUE(issues.empty());
    EXPECT_EQ(tree->find("token")->scalar(), "from-file");
    EXPECT_TRUE(tree->find("token")->secret());
    std::remove(path.c_str());
}

TEST(YamlReaderTest, ReportsDuplicateKeysAndBadSyntax) {
    ConfigIssues issues;
    readYaml("a: 1\na: 2\n", fakeEnv({}), issues);
    ASSERT_EQ(issues.size(), 1U);
    EXPECT_EQ(issues[0].path, "a");
    EXPECT_EQ(issues[0].message, "duplicate key");

    issues.clear();
    EXPECT_EQ(readYaml("a: [1, 2\n", fakeEnv({}), issues), nullptr);
    ASSERT_EQ(issues.size(), 1U);
    EXPECT_NE(issues[0].message.find("not valid YAML"), std::string::npos);
}

TEST(YamlReaderTest, GivesSequenceItemsIndexedPaths) {
    ConfigIssues issues;
    const auto tree = readYaml("routes:\n  - family: x\n  - family: y\n", fakeEnv({}), issues);
    EXPECT_EQ(tree->find("routes")->item(1)->find("family")->path(), "routes[1].family");
}

TEST(YamlReaderTest, StopsAtRecursiveAliasesInsteadOfRecursingForever) {
    ConfigIssues issues;
    readYaml("a: &x [*x]\n", fakeEnv({}), issues);
    ASSERT_EQ(issues.size(), 1U);
    EXPECT_EQ(issues[0].message, "nested deeper than 64 levels (a recursive alias?)");
}

}  // namespace
}  // namespace sluice::core::config
