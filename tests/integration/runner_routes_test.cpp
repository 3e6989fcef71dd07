// route-runner in the gateway, against the emulator, without npm: a shell stand-in for
// `codex exec` reads the provider URL from the CODEX_HOME the runner wrote and posts one turn
// there with the delegated credential from its environment, exactly where the real CLI would.
// So each run is a pooled turn on Sluice's own /backend-api/codex (the e2e suite drives the real
// CLI). The workspace root does not exist beforehand: the runner creates it. On 127.0.0.1.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr const char* kFakeCodex = R"sh(#!/bin/sh
cat > /dev/null
base=$(sed -n 's/^base_url = "\(.*\)"$/\1/p' "$CODEX_HOME/config.toml")
echo '{"type":"thread.started","thread_id":"thread-it"}'
reply=$(curl -sS -X POST "$base/responses" -H "Authorization: Bearer $SLUICE_RUNNER_API_KEY" \
  -H 'Content-Type: application/json' -H 'session-id: thread-it' \
  -d '{"model":"gpt-5.5","stream":true,"input":[{"type":"message","role":"user","content":[{"type":"input_text","text":"hi"}]}]}')
text=$(printf '%s' "$reply" | sed -n 's/.*"delta":"\([^"]*\)".*/\1/p' | tr -d '\n')
[ -n "$text" ] || { echo "no answer: $reply" >&2; exit 1; }
echo "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"$text\"}}"
echo '{"type":"turn.completed","usage":{"input_tokens":7,"output_tokens":3}}'
)sh";

class RunnerRoutesTest : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path codex = dir_.path() / "fake-codex";
        std::ofstream(codex) << kFakeCodex;
        fs::permissions(codex, fs::perms::owner_all);
        HarnessOptions options;
        options.emulator_script =
            "accounts:\n  - { id: acct-a, access_token: tok-a, behaviour: { mode: normal, text: "
            "\"POOLED ANSWER\", deltas: 1 } }\n";
        options.accounts = {{"acct-a", "tok-a"}};
        options.plugins = {"route-runner"};
        options.extra_routes = {
            "{ family: codex_runner, mount: /runner, config: { codex_bin: \"" + codex.string() +
            "\", state_dir: \"" + (dir_.path() / "state").string() + "\", workspace_roots: [\"" +
            (dir_.path() / "work").string() +
            "\"], seed_environment: false, max_body: 1KiB, triggers: { enabled: false } } }"};
        harness_ = std::make_unique<GatewayHarness>(options);
    }

    HttpReply post(const std::string& path, const json& body, bool with_key = true) {
        return harness_->request("POST", "/runner" + path, body.dump(),
                                 {{"Content-Type", "application/json"}}, with_key);
    }

    sdk::testing::TempDirectory dir_{"sluice-runner-it"};
    std::unique_ptr<GatewayHarness> harness_;
};

TEST_F(RunnerRoutesTest, ARunIsAPooledTurnAccountedToTheCaller) {
    const HttpReply run = post("/completion", {{"prompt", "PROMPT-TEXT"}});
    ASSERT_EQ(run.status, 200) << run.body;
    const json body = json::parse(run.body);
    EXPECT_EQ(body["output"], "POOLED ANSWER");
    EXPECT_EQ(body["usage"]["total_tokens"], 10);
    EXPECT_EQ(harness_->modelRequestsByAccount()["acct-a"], 1) << "the turn went to the pool";
    const auto rows = harness_->requestLogsAtLeast(2);
    const auto turn = std::find_if(rows.begin(), rows.end(),
                                   [](const auto& row) { return row.route == "codex.responses"; });
    ASSERT_NE(turn, rows.end());
    const auto runner = std::find_if(
        rows.begin(), rows.end(), [](const auto& row) { return row.route == "runner.completion"; });
    ASSERT_NE(runner, rows.end());
    EXPECT_EQ(turn->key_prefix, runner->key_prefix) << "paid by the caller's key";
    EXPECT_FALSE(harness_->gatewayLog().find("PROMPT-TEXT") != std::string::npos);
    EXPECT_FALSE(harness_->gatewayLog().find("POOLED ANSWER") != std::string::npos);
}

TEST_F(RunnerRoutesTest, TheRunnerNeedsAKeyButHealthDoesNot) {
    EXPECT_EQ(post("/completion", {{"prompt", "x"}}, false).status, 401);
    EXPECT_EQ(harness_->request("GET", "/runner/health", "", {}, false).status, 200);
}

// A body small enough to sit in the socket buffers whole: the client sees the answer, not a reset.
TEST_F(RunnerRoutesTest, OversizedBodiesAreTheSeeds400) {
    const HttpReply big = post("/completion", {{"prompt", std::string(4096, 'x')}});
    EXPECT_EQ(big.status, 400) << big.body;
    EXPECT_NE(big.body.find("\"error\""), std::string::npos);
}

}  // namespace
}  // namespace sluice::integration
