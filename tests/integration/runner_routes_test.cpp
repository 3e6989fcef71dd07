// route-runner in the gateway, against the emulator, without npm: a shell stand-in for
// `codex exec` reads the provider URL from the CODEX_HOME the runner wrote and posts one turn
// there with the delegated credential from its environment, exactly where the real CLI would.
// So each run is a pooled turn on Sluice's own /backend-api/codex (the e2e suite drives the real
// CLI). The workspace root does not exist beforehand: the runner creates it. On 127.0.0.1.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/auth/credential_token.hpp"
#include "core/control/wallet_service.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

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
            "\"POOLED ANSWER\", deltas: 1, usage: { input_tokens: 1000, cached_tokens: 0, "
            "output_tokens: 100 } } }\n";
        options.accounts = {{"acct-a", "tok-a"}};
        options.billing = true;  // no key is linked to a wallet unless a test links it
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

// A run's turns come back through /backend-api/codex with a credential delegated from the
// caller's key, so a wallet linked to that key is charged in the request ledger's settle like
// any client's: by response id, against the conversation (the run's Codex thread) baseline.
TEST_F(RunnerRoutesTest, RunsAreChargedToTheWalletOfTheCallersKey) {
    core::control::WalletService wallets(harness_->control());
    ASSERT_TRUE(wallets.createCustomer("ada", "test").ok());
    ASSERT_TRUE(
        wallets.linkKey("ada", core::auth::parseToken(harness_->key())->prefix, "test").ok());
    ASSERT_TRUE(wallets.setRateCard("*", {"2", "0.2", "15", "0"}, "test").ok());
    ASSERT_TRUE(wallets.adjust("ada", sdk::WalletEntryKind::Credit, "1", "prepaid", "test").ok());

    for (int run = 0; run < 2; ++run) {
        const HttpReply reply = post("/completion", {{"prompt", "again"}});
        ASSERT_EQ(reply.status, 200) << reply.body;
    }
    // $2/M input, $15/M output: the first run's turn pays 1,000 input and 100 output tokens
    // (3,500 micro-USD); the second reports the same 1,000 input in the same thread, so it
    // pays its output only (1,500).
    std::vector<sdk::WalletTransactionRecord> charges;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
        std::this_thread::sleep_for(10ms);
        charges = wallets.statement("ada", 10)->transactions;
        std::erase_if(charges,
                      [](const auto& entry) { return entry.kind != sdk::WalletEntryKind::Charge; });
    } while (charges.size() < 2 && std::chrono::steady_clock::now() < deadline);
    ASSERT_EQ(charges.size(), 2U);
    EXPECT_EQ(charges[1].cost_micro_usd, 3'500);  // newest first
    EXPECT_EQ(charges[0].cost_micro_usd, 1'500);
    EXPECT_EQ(charges[0].input_tokens, 0U);
    EXPECT_EQ(wallets.statement("ada", 1)->owner.wallet.balance_micro_usd, 1'000'000 - 5'000);
}

// The run would only spend through its model call, which the preflight refuses: the runner
// refuses it up front in its own JSON instead, and no `codex exec` starts.
TEST_F(RunnerRoutesTest, AnEmptyWalletIsRefusedBeforeTheRunStarts) {
    core::control::WalletService wallets(harness_->control());
    ASSERT_TRUE(wallets.createCustomer("ada", "test").ok());
    ASSERT_TRUE(
        wallets.linkKey("ada", core::auth::parseToken(harness_->key())->prefix, "test").ok());

    const HttpReply refused = post("/completion", {{"prompt", "hi"}});
    EXPECT_EQ(refused.status, 402) << refused.body;
    const json body = json::parse(refused.body, nullptr, false);
    EXPECT_EQ(body["code"], "insufficient_quota") << refused.body;
    EXPECT_TRUE(body["error"].is_string()) << refused.body;
    EXPECT_EQ(harness_->modelRequests(), 0);
    const json sessions = json::parse(harness_->request("GET", "/runner/sessions").body);
    EXPECT_EQ(sessions.dump().find("hi"), std::string::npos) << "no session was started";

    ASSERT_TRUE(wallets.adjust("ada", sdk::WalletEntryKind::Credit, "1", "prepaid", "test").ok());
    EXPECT_EQ(post("/completion", {{"prompt", "again"}}).status, 200);
}

// A body small enough to sit in the socket buffers whole: the client sees the answer, not a reset.
TEST_F(RunnerRoutesTest, OversizedBodiesAreTheSeeds400) {
    const HttpReply big = post("/completion", {{"prompt", std::string(4096, 'x')}});
    EXPECT_EQ(big.status, 400) << big.body;
    EXPECT_NE(big.body.find("\"error\""), std::string::npos);
}

}  // namespace
}  // namespace sluice::integration
