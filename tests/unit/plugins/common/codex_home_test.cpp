#include "sluice/plugins/common/codex_home.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "sluice/plugins/common/private_files.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::common {
namespace {

TEST(CodexHomeTest, PointsTheCliAtOneResponsesProviderWithAnEnvironmentKey) {
    const std::string toml =
        codexConfigToml({"http://127.0.0.1:4000/backend-api/codex", "SLUICE_RUNNER_KEY", "gpt-5.5",
                         "never", "workspace-write"});
    EXPECT_NE(toml.find("model = \"gpt-5.5\"\n"), std::string::npos);
    EXPECT_NE(toml.find("model_provider = \"sluice\"\n"), std::string::npos);
    EXPECT_NE(toml.find("[model_providers.sluice]\n"), std::string::npos);
    EXPECT_NE(toml.find("base_url = \"http://127.0.0.1:4000/backend-api/codex\"\n"),
              std::string::npos);
    EXPECT_NE(toml.find("env_key = \"SLUICE_RUNNER_KEY\"\n"), std::string::npos);
    EXPECT_NE(toml.find("wire_api = \"responses\"\n"), std::string::npos);
    EXPECT_NE(toml.find("supports_websockets = false\n"), std::string::npos);
    EXPECT_NE(toml.find("sandbox_mode = \"workspace-write\"\n"), std::string::npos);
}

TEST(CodexHomeTest, NoModelLineWhenNoneIsConfigured) {
    EXPECT_EQ(codexConfigToml({"http://x", "K", "", "never", "read-only"}).find("model ="),
              std::string::npos);
}

TEST(CodexHomeTest, EscapesTomlStrings) {
    const std::string toml = codexConfigToml({"http://x", "K", "a\"b\\c\nd", "never", "read-only"});
    EXPECT_NE(toml.find("model = \"a\\\"b\\\\c\\nd\"\n"), std::string::npos);
}

TEST(CodexHomeTest, WritesAPrivateDirectoryAndConfig) {
    sdk::testing::TempDirectory dir;
    const auto home = dir.path() / "a" / "codex-home";
    ASSERT_TRUE(writeCodexHome(home, {"http://x", "K", "", "never", "read-only"}).ok());
    struct stat st {};
    ASSERT_EQ(::stat(home.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0700u);
    ASSERT_EQ(::stat((home / "config.toml").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_NE(readWholeFile(home / "config.toml").value().find("base_url = \"http://x\""),
              std::string::npos);
}

}  // namespace
}  // namespace sluice::plugins::common
