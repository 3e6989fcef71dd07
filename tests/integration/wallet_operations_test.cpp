// A wallet set up only through the operator operations (issue 17) is charged for a /v1/responses
// turn through route-openai and, once empty, refused in the OpenAI envelope.
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/auth/credential_token.hpp"
#include "sluice/sdk/abi.hpp"
#include "tests/integration/gateway_harness.hpp"
#include "tests/integration/operations_route.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

HarnessOptions billedWithOperations() {
    HarnessOptions o;
    o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.billing = true;
    o.plugins = {"route-openai", "route-operations-probe"};
    o.builtins = {
        {"route-operations-probe", &sdk::detail::registerTrampoline<registerOperationsRoute>}};
    o.extra_routes = {"{ family: openai_v1 }", "{ family: operations_probe, mount: /ops }"};
    return o;
}

// Runs admin operations through the probe route with an admin token; each must succeed.
std::function<json(const std::string&, const json&)> operatorOf(GatewayHarness& harness) {
    const std::string admin = harness.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops");
    return [&harness, admin](const std::string& operation, const json& params) {
        const HttpReply reply = harness.request("POST", "/ops/admin/" + operation, params.dump(),
                                                {{"Authorization", "Bearer " + admin}}, false);
        EXPECT_EQ(reply.status, 200) << operation << ": " << reply.body;
        return json::parse(reply.body, nullptr, false);
    };
}

TEST(WalletOperationsTest, AWalletCreditedThroughTheOperationsIsChargedAndThenRefusedWhenEmpty) {
    GatewayHarness harness(billedWithOperations());
    const auto operate = operatorOf(harness);
    operate("customers.create", {{"customer", "ada"}});
    operate("wallets.link_key",
            {{"customer", "ada"}, {"key", core::auth::parseToken(harness.key())->prefix}});
    operate("rate_cards.set", {{"model", "*"},
                               {"input_per_million_usd", "2"},
                               {"cached_input_per_million_usd", "0.2"},
                               {"output_per_million_usd", "15"}});
    // Less than one turn costs, so the turn drains the wallet to exactly 0.
    operate("wallets.credit",
            {{"customer", "ada"}, {"amount_usd", "0.000010"}, {"reason", "trial"}});
    harness.restartGateway();  // reads the links, balances and cards now, not a reload later

    const json turn = {{"model", "gpt-5.5"}, {"input", "hi"}};
    const HttpReply first = harness.request("POST", "/v1/responses", turn.dump());
    ASSERT_EQ(first.status, 200) << first.body;

    json wallet;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
        std::this_thread::sleep_for(10ms);
        wallet = operate("wallets.get", {{"customer", "ada"}});
    } while (wallet["transactions"].size() < 2 && std::chrono::steady_clock::now() < deadline);
    EXPECT_EQ(wallet["customer"]["balance_usd"], "0.000000");
    ASSERT_EQ(wallet["transactions"].size(), 2u) << wallet.dump();
    const json& charge = wallet["transactions"][0];
    EXPECT_EQ(charge["kind"], "charge");
    EXPECT_EQ(charge["amount_usd"], "-0.000010");
    EXPECT_GT(charge["output_tokens"].get<int>(), 0);

    const HttpReply refused = harness.request("POST", "/v1/responses", turn.dump());
    EXPECT_EQ(refused.status, 402) << refused.body;
    const json envelope = json::parse(refused.body, nullptr, false);
    EXPECT_EQ(envelope["error"]["code"], "insufficient_quota") << refused.body;
    EXPECT_TRUE(envelope["error"]["message"].is_string()) << refused.body;
}

// Without a restart and with no reload due for an hour: each operation reaches the running
// gateway's preflight before it returns.
TEST(WalletOperationsTest, OperationsChangeTheRunningGatewaysPreflightAtOnce) {
    HarnessOptions options = billedWithOperations();
    options.billing_reload_interval = "1h";
    GatewayHarness harness(options);
    const auto operate = operatorOf(harness);
    const json turn = {{"model", "gpt-5.5"}, {"input", "hi"}};
    const auto status = [&] {
        return harness.request("POST", "/v1/responses", turn.dump()).status;
    };
    ASSERT_EQ(status(), 200) << "an unlinked key is not billed";

    operate("customers.create", {{"customer", "ada"}});
    operate("wallets.link_key",
            {{"customer", "ada"}, {"key", core::auth::parseToken(harness.key())->prefix}});
    EXPECT_EQ(status(), 402) << "linked to an empty wallet";
    operate("rate_cards.set", {{"model", "*"},
                               {"input_per_million_usd", "2"},
                               {"cached_input_per_million_usd", "0.2"},
                               {"output_per_million_usd", "15"}});

    operate("wallets.credit", {{"customer", "ada"}, {"amount_usd", "1"}, {"reason", "prepaid"}});
    EXPECT_EQ(status(), 200) << "credited";

    json wallet = operate("wallets.get", {{"customer", "ada"}});
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (wallet["transactions"].size() < 2 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(10ms);
        wallet = operate("wallets.get", {{"customer", "ada"}});
    }
    ASSERT_EQ(wallet["transactions"].size(), 2u) << "the turn was charged: " << wallet.dump();
    operate("wallets.debit", {{"customer", "ada"},
                              {"amount_usd", wallet["customer"]["balance_usd"]},
                              {"reason", "refund"}});
    EXPECT_EQ(status(), 402) << "debited to 0";

    operate("wallets.credit", {{"customer", "ada"}, {"amount_usd", "1"}, {"reason", "again"}});
    operate("wallets.unlink_key",
            {{"customer", "ada"}, {"key", core::auth::parseToken(harness.key())->prefix}});
    operate("wallets.debit", {{"customer", "ada"}, {"amount_usd", "1"}, {"reason", "closed"}});
    EXPECT_EQ(status(), 200) << "unlinked: no longer billed";
}

}  // namespace
}  // namespace sluice::integration
