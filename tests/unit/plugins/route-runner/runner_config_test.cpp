#include "runner_config.hpp"

#include <gtest/gtest.h>

#include "seed_environment.hpp"
#include "sluice/sdk/testing/schema_config.hpp"

namespace sluice::plugins::route_runner {
namespace {

using namespace std::chrono_literals;

TEST(RunnerConfigTest, DefaultsComeFromTheSchema) {
    const auto config = sdk::testing::configFromSchema(runnerConfigSchema());
    const RunnerConfig parsed = parseRunnerConfig(*config, {});
    EXPECT_EQ(parsed.codex_bin, "codex");
    EXPECT_EQ(parsed.max_concurrent, 2);
    EXPECT_EQ(parsed.timeout, 120s);
    EXPECT_EQ(parsed.max_timeout, 30min);
    EXPECT_EQ(parsed.max_body_bytes, 1u << 20);
    EXPECT_EQ(parsed.default_tail_lines, 200);
    EXPECT_EQ(parsed.webhook.timeout, 5s);
    EXPECT_EQ(parsed.watcher.debounce, 750ms);
    EXPECT_TRUE(parsed.watcher.skip_initial_scan);
    EXPECT_TRUE(parsed.triggers.enabled);
}

TEST(RunnerConfigTest, TheSeedsVariablesOverrideTheBlock) {
    const auto config = sdk::testing::configFromSchema(runnerConfigSchema());
    const RunnerConfig parsed = parseRunnerConfig(
        *config, {{"CODEX_GATEWAY_MAX_CONCURRENT", "5"},
                  {"CODEX_GATEWAY_TIMEOUT_MS", "60000"},
                  {"CODEX_GATEWAY_JSON_FLAG", "--experimental-json"},
                  {"CODEX_GATEWAY_EXTRA_ARGS", "--foo  bar"},
                  {"CODEX_GATEWAY_WATCH_SKIP_INITIAL_SCAN", "false"},
                  {"CODEX_GATEWAY_DISABLE_TRIGGERS", "1"},
                  {"CODEX_GATEWAY_SECURE_SESSION_DIR", "/srv/secure"},
                  {"SESSION_WEBHOOK_URL", "http://127.0.0.1:9/hook"},
                  {"SESSION_WEBHOOK_HEADERS_JSON", R"({"X-Team":"core","X-N":3})"}});
    EXPECT_EQ(parsed.max_concurrent, 5);
    EXPECT_EQ(parsed.timeout, 60s);
    EXPECT_EQ(parsed.json_flag, "--experimental-json");
    EXPECT_EQ(parsed.extra_args, (std::vector<std::string>{"--foo", "bar"}));
    EXPECT_FALSE(parsed.watcher.skip_initial_scan);
    EXPECT_FALSE(parsed.triggers.enabled);
    EXPECT_EQ(parsed.secure_dir, "/srv/secure");
    EXPECT_EQ(parsed.webhook.url, "http://127.0.0.1:9/hook");
    EXPECT_EQ(parsed.webhook.headers.at("X-Team"), "core");
    EXPECT_EQ(parsed.webhook.headers.at("X-N"), "3");
}

TEST(RunnerConfigTest, ABadVariableIsAnErrorNamingIt) {
    const auto config = sdk::testing::configFromSchema(runnerConfigSchema());
    try {
        parseRunnerConfig(*config, {{"CODEX_GATEWAY_MAX_CONCURRENT", "many"}});
        FAIL() << "accepted";
    } catch (const sdk::ConfigError& error) {
        EXPECT_EQ(error.path(), "CODEX_GATEWAY_MAX_CONCURRENT");
    }
    EXPECT_THROW(parseRunnerConfig(*config, {{"SESSION_WEBHOOK_HEADERS_JSON", "[1]"}}),
                 sdk::ConfigError);
}

TEST(RunnerConfigTest, SeedEnvironmentOffIgnoresTheVariables) {
    const auto config =
        sdk::testing::configFromSchema(runnerConfigSchema(), {{"seed_environment", "false"}});
    EXPECT_EQ(parseRunnerConfig(*config, {{"CODEX_GATEWAY_MAX_CONCURRENT", "5"}}).max_concurrent,
              2);
}

TEST(RunnerConfigTest, AWatcherNeedsAnOwnerKey) {
    const auto config = sdk::testing::configFromSchema(runnerConfigSchema());
    EXPECT_THROW(parseRunnerConfig(*config, {{"CODEX_GATEWAY_WATCH_PATHS", "temp"}}),
                 sdk::ConfigError);
}

}  // namespace
}  // namespace sluice::plugins::route_runner
