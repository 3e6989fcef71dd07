// Wallet charging through the real gateway and the emulator (issue 17, ADR 0008).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "core/auth/credential_token.hpp"
#include "sluice/sdk/storage_wallets.hpp"
#include "tests/integration/gateway_harness.hpp"
#include "tests/integration/websocket_raw_client.hpp"

namespace sluice::integration {
namespace {

using namespace std::chrono_literals;

HarnessOptions billed() {
    HarnessOptions options;
    options.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";
    options.accounts = {{"acct-a", "tok-a"}};
    options.billing = true;
    return options;
}

sdk::WalletRepository& walletsOf(GatewayHarness& harness) {
    return dynamic_cast<sdk::StoresWallets&>(harness.runtime().storage()).wallets();
}

/// A customer whose wallet holds `balance` and pays for the harness's key at the seed's $2 per
/// million input and $15 per million output tokens; the gateway restarts to read it.
void seedWallet(GatewayHarness& harness, std::int64_t balance) {
    sdk::WalletRepository& wallets = walletsOf(harness);
    const auto token = core::auth::parseToken(harness.key());
    ASSERT_TRUE(token);
    ASSERT_TRUE(wallets.createCustomer({"cus_1", "ada", {}}).ok());
    ASSERT_TRUE(wallets.createWallet({"wal_1", "cus_1", balance, {}, {}}).ok());
    ASSERT_TRUE(wallets.linkKey({token->prefix, "wal_1"}).ok());
    ASSERT_TRUE(wallets.addRateCard({"*", 1, 2'000'000, 200'000, 15'000'000, 0, {}}).ok());
    harness.restartGateway();
}

std::int64_t balanceOf(GatewayHarness& harness) {
    return walletsOf(harness).getWallet("wal_1")->balance_micro_usd;
}

/// The balance once it reached `expected`, or after 10 s (a charge is booked a moment after
/// its turn).
std::int64_t awaitBalance(GatewayHarness& harness, std::int64_t expected) {
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (balanceOf(harness) != expected && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
    }
    return balanceOf(harness);
}

// One `response.create` on the socket, read until its response.completed.
void websocketTurn(RawWebSocketClient& socket, const std::string& text) {
    socket.sendFrame(0x81, R"({"type":"response.create","model":"gpt-5.5","input":[{"type":)"
                           R"("message","role":"user","content":[{"type":"input_text","text":")" +
                               text + R"("}]}]})");
    while (true) {
        const RawWebSocketClient::Frame frame = socket.receiveFrame();
        ASSERT_EQ(frame.opcode, 1) << "the socket ended before the turn did";
        if (frame.payload.find("\"type\":\"response.completed\"") != std::string::npos) {
            return;
        }
    }
}

TEST(WalletBillingTest, AnEmptyWalletIsRefusedBeforeAnythingGoesUpstream) {
    GatewayHarness harness(billed());
    seedWallet(harness, 0);
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(reply.status, 402) << reply.body;
    EXPECT_NE(reply.body.find("\"insufficient_quota\""), std::string::npos) << reply.body;
    for (const auto& record : harness.recorded("acct-a")) {
        EXPECT_FALSE(record.model) << "the emulator saw a model request";
    }
    EXPECT_EQ(harness.metric("sluice_admission_rejections_total", "limit=\"wallet_empty\""), 1);
}

TEST(WalletBillingTest, ACompletedTurnIsChargedFromItsReportedUsage) {
    constexpr std::int64_t kFunds = 10'000'000;
    GatewayHarness harness(billed());
    seedWallet(harness, kFunds);
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    ASSERT_EQ(reply.status, 200) << reply.body;
    const auto logs = harness.requestLogsAtLeast(1);
    ASSERT_FALSE(logs.empty());
    // The emulator reports part of the prompt as cached: that part pays the cached rate
    // ($0.20 per million), the sum rounded up to the micro-dollar once.
    const std::uint64_t input = logs[0].input_tokens;
    const std::uint64_t cached = logs[0].cached_input_tokens;
    const std::uint64_t output = logs[0].output_tokens;
    const auto expected = static_cast<std::int64_t>(
        (2'000'000 * (input - cached) + 200'000 * cached + 15'000'000 * output + 999'999) /
        1'000'000);
    ASSERT_GT(expected, 0);
    EXPECT_EQ(awaitBalance(harness, kFunds - expected), kFunds - expected);
    const auto entries = walletsOf(harness).transactions("wal_1", 10);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 1u);
    EXPECT_EQ(entries.value()[0].input_tokens, input - cached);
    EXPECT_EQ(entries.value()[0].cached_input_tokens, cached);
    EXPECT_EQ(entries.value()[0].output_tokens, output);
    EXPECT_EQ(entries.value()[0].cost_micro_usd, expected);
    EXPECT_EQ(entries.value()[0].idempotency_key.rfind("resp", 0), 0u)
        << entries.value()[0].idempotency_key;
}

// The seed's regression numbers on the Codex websocket: the reported input grows 1,000 ->
// 2,500 -> 4,000, so the turns pay 1,000 + 1,500 + 1,500 input tokens at $2/M and their output
// at $15/M; a fourth turn after a compaction (600) pays only its output and resets the baseline.
TEST(WalletBillingTest, EveryWebSocketTurnIsChargedOnlyForTheInputItAdded) {
    HarnessOptions options = billed();
    options.emulator_script =
        "accounts:\n"
        "  - id: acct-a\n"
        "    access_token: tok-a\n"
        "    websocket: accept\n"
        "    faults:\n"
        "      - { usage: { input_tokens: 1000, cached_tokens: 0, output_tokens: 100 } }\n"
        "      - { usage: { input_tokens: 2500, cached_tokens: 0, output_tokens: 200 } }\n"
        "      - { usage: { input_tokens: 4000, cached_tokens: 0, output_tokens: 300 } }\n"
        "      - { usage: { input_tokens: 600, cached_tokens: 0, output_tokens: 40 } }\n";
    constexpr std::int64_t kFunds = 10'000'000;
    GatewayHarness harness(options);
    seedWallet(harness, kFunds);
    {
        RawWebSocketClient socket(harness.port());
        ASSERT_EQ(socket.upgrade(RawWebSocketClient::validHeaders(harness.key()) +
                                 "OpenAI-Beta: responses_websockets=2026-02-06\r\n"
                                 "session-id: ws-thread\r\n"),
                  101);
        for (const char* text : {"one", "two", "three", "after compaction"}) {
            websocketTurn(socket, text);
        }
        // 1,000*2 + 100*15 = 3,500; 1,500*2 + 200*15 = 6,000; 1,500*2 + 300*15 = 7,500; 40*15.
        EXPECT_EQ(awaitBalance(harness, kFunds - 17'600), kFunds - 17'600)
            << "each turn is charged while the socket is still open";
    }
    const auto entries = walletsOf(harness).transactions("wal_1", 10);
    ASSERT_TRUE(entries.ok());
    ASSERT_EQ(entries->size(), 4U) << "one charge per turn, none for the connection";
    std::vector<std::int64_t> costs;
    std::set<std::string> keys;
    for (const auto& entry : entries.value()) {
        costs.push_back(entry.cost_micro_usd);
        EXPECT_EQ(entry.idempotency_key.rfind("resp", 0), 0U) << entry.idempotency_key;
        keys.insert(entry.idempotency_key);
    }
    std::sort(costs.begin(), costs.end());
    EXPECT_EQ(costs, (std::vector<std::int64_t>{600, 3'500, 6'000, 7'500}));
    EXPECT_EQ(keys.size(), 4U);
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(balanceOf(harness), kFunds - 17'600) << "closing the socket charges nothing more";
}

}  // namespace
}  // namespace sluice::integration
