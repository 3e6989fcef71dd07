// `sluice key create` prints, before the key, the Codex CLI configuration that uses it: the
// provider block of ~/.codex/config.toml pointing at the pipeline's codex_backend mount.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "tests/integration/cli_fixture.hpp"

namespace sluice::integration {
namespace {

std::string lastLine(const std::string& out) {
    const std::string trimmed = out.substr(0, out.size() - 1);
    return trimmed.substr(trimmed.rfind('\n') + 1);
}

TEST_F(CliTest, KeyCreatePrintsTheCodexConfigForTheListenAddressThenTheKey) {
    writeConfig(pipeline() + "server: { listen: \"0.0.0.0:4321\" }\n");
    const CliRun created = sluice({"key", "create", "--pool", "team", "--name", "laptop"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    EXPECT_NE(created.out.find("[model_providers.sluice]\n"), std::string::npos) << created.out;
    EXPECT_NE(created.out.find("base_url = \"http://127.0.0.1:4321/backend-api/codex\"\n"),
              std::string::npos)
        << created.out;
    EXPECT_NE(created.out.find("env_key = \"SLUICE_API_KEY\"\n"), std::string::npos);
    EXPECT_EQ(lastLine(created.out).rfind("sk-sluice-", 0), 0U) << created.out;
}

TEST_F(CliTest, KeyCreateUsesTheGatewayUrlClientsReach) {
    writeConfig(pipeline());
    const CliRun created = sluice({"key", "create", "--pool", "team", "--name", "laptop", "--json",
                                   "--gateway-url", "https://gw.example.test"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    const auto item = nlohmann::json::parse(created.out);
    EXPECT_EQ(item["client"]["base_url"], "https://gw.example.test/backend-api/codex");
    EXPECT_EQ(item["client"]["env_key"], "SLUICE_API_KEY");
    EXPECT_NE(item["client"]["codex_config_toml"].get<std::string>().find(
                  "base_url = \"https://gw.example.test/backend-api/codex\""),
              std::string::npos);
    EXPECT_EQ(item["key"].get<std::string>().rfind("sk-sluice-", 0), 0U);
}

TEST_F(CliTest, KeyCreateRefusesAGatewayUrlThatIsNotAnOrigin) {
    writeConfig(pipeline());
    const CliRun refused = sluice({"key", "create", "--pool", "team", "--name", "laptop",
                                   "--gateway-url", "gw.example.test/\"x"});
    EXPECT_EQ(refused.exit_code, 2);
    EXPECT_NE(refused.err.find("--gateway-url must be http://host[:port]"), std::string::npos)
        << refused.err;
}

}  // namespace
}  // namespace sluice::integration
