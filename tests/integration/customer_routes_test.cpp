// The customer routes of issue 17 (route-customer at /api/v1) in a billed gateway: every route,
// the 24 h rotation limit, one customer's key against another's wallet and keys, keys linked to
// no wallet, the username-as-bearer switch on and off, and a gateway that bills nothing.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/auth/credential_token.hpp"
#include "tests/integration/customer_gateway.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

class CustomerRoutesTest : public CustomerGatewayTest {
protected:
    explicit CustomerRoutesTest(bool billing = true) : CustomerGatewayTest(billing) {}

    /// Customer `name` with the harness key (ada) or a new key of its own, returned raw.
    std::string customer(const std::string& name, const std::string& usd) {
        std::string key = harness_.key();
        if (name != "ada") {
            key = operate("keys.create", {{"pool", "team"}, {"name", name}})["key"];
        }
        operate("customers.create", {{"customer", name}});
        operate("wallets.link_key", {{"customer", name}, {"key", prefixOf(key)}});
        if (usd != "0") {
            operate("wallets.credit", {{"customer", name}, {"amount_usd", usd}, {"reason", "t"}});
        }
        return key;
    }

    static std::string prefixOf(const std::string& key) {
        return core::auth::parseToken(key)->prefix;
    }

    HttpReply as(const std::string& key, const std::string& method, const std::string& path,
                 const std::string& body = "") {
        return harness_.request(method, "/api/v1" + path, body,
                                {{"Authorization", "Bearer " + key}}, false);
    }

    static json bodyOf(const HttpReply& reply) { return json::parse(reply.body, nullptr, false); }

    /// The error code of a typed refusal in the gateway's envelope.
    static std::string codeOf(const HttpReply& reply) {
        const json body = bodyOf(reply);
        return body.contains("error") ? body["error"].value("code", "") : "";
    }
};

TEST_F(CustomerRoutesTest, MeShowsTheWalletTheKeysAndACodexProviderBlock) {
    const std::string ada = customer("ada", "2.5");
    const HttpReply reply = as(ada, "GET", "/me");
    ASSERT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(reply.header("Cache-Control"), "no-store");
    const json me = bodyOf(reply);
    EXPECT_EQ(me["customer"]["username"], "ada");
    EXPECT_EQ(me["wallet"]["balance_usd"], "2.500000");
    EXPECT_EQ(me["wallet"]["state"], "funded");
    ASSERT_EQ(me["keys"].size(), 1u) << me.dump();
    EXPECT_EQ(me["keys"][0]["prefix"], prefixOf(ada));
    EXPECT_EQ(me["keys"][0]["current"], true);
    EXPECT_EQ(me.dump().find(ada), std::string::npos) << "never the secret";
    const std::string base = "http://127.0.0.1:" + std::to_string(harness_.port());
    EXPECT_EQ(me["codex"]["base_url"], base + "/backend-api/codex");
    EXPECT_NE(me["codex"]["config_toml"].get<std::string>().find("env_key = \"SLUICE_API_KEY\""),
              std::string::npos);
}

TEST_F(CustomerRoutesTest, WalletStatusSaysWhetherTheWalletCanSpend) {
    const std::string ada = customer("ada", "0");
    json status = bodyOf(as(ada, "GET", "/wallet/status"));
    EXPECT_EQ(status["wallet"]["state"], "empty") << status.dump();
    EXPECT_EQ(status["wallet"]["can_spend"], false);
    operate("wallets.credit", {{"customer", "ada"}, {"amount_usd", "1"}, {"reason", "t"}});
    status = bodyOf(as(ada, "GET", "/wallet/status"));
    EXPECT_EQ(status["wallet"]["balance_usd"], "1.000000");
    EXPECT_EQ(status["wallet"]["can_spend"], true);
}

TEST_F(CustomerRoutesTest, MetricsShowTheBalanceOfAWalletAKeySpendsFrom) {
    const std::string ada = customer("ada", "2.5");
    const std::string wallet = bodyOf(as(ada, "GET", "/wallet/status"))["wallet"]["id"];
    const HttpReply metrics = harness_.request("GET", "/metrics", "", {}, false);
    EXPECT_NE(metrics.body.find("sluice_wallet_balance_usd{wallet=\"" + wallet + "\"} 2.5\n"),
              std::string::npos)
        << metrics.body;
}

TEST_F(CustomerRoutesTest, TokenUsageListsEachChargeWithItsTokensAndTheDaysTotals) {
    const std::string ada = customer("ada", "1");
    operate("rate_cards.set", {{"model", "*"},
                               {"input_per_million_usd", "2"},
                               {"cached_input_per_million_usd", "0.2"},
                               {"output_per_million_usd", "15"}});
    ASSERT_TRUE(completedTurn(harness_.postResponses(GatewayHarness::turnBody())));

    json usage;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    do {
        std::this_thread::sleep_for(10ms);
        usage = bodyOf(as(ada, "GET", "/billing/token-usage?limit=5&days=3"));
    } while (usage["transactions"].size() < 2 && std::chrono::steady_clock::now() < deadline);
    ASSERT_EQ(usage["transactions"].size(), 2u) << usage.dump();
    const json& charge = usage["transactions"][0];
    EXPECT_EQ(charge["kind"], "charge");
    EXPECT_GT(charge["input_tokens"].get<int>(), 0);
    EXPECT_GT(charge["output_tokens"].get<int>(), 0);
    EXPECT_EQ(charge["key"], prefixOf(ada));
    EXPECT_EQ(charge["balance_after_usd"], usage["wallet"]["balance_usd"]);
    ASSERT_EQ(usage["daily"].size(), 1u);
    EXPECT_EQ(usage["daily"][0]["charges"], 1);
    EXPECT_EQ(usage["daily"][0]["input_tokens"], charge["input_tokens"]);
    EXPECT_EQ("-" + usage["daily"][0]["charged_usd"].get<std::string>(), charge["amount_usd"]);
    EXPECT_EQ(usage["daily_complete"], true);

    const HttpReply bad = as(ada, "GET", "/billing/token-usage?limit=0");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bodyOf(bad)["error"]["param"], "limit") << bad.body;
    EXPECT_EQ(as(ada, "GET", "/billing/token-usage?days=32").status, 400);
}

TEST_F(CustomerRoutesTest, AKeyIsIssuedChargedToTheWalletListedAndRevoked) {
    const std::string ada = customer("ada", "1");
    const HttpReply created = as(ada, "POST", "/me/api-keys", R"({"name":"laptop"})");
    ASSERT_EQ(created.status, 201) << created.body;
    const std::string laptop = bodyOf(created)["key"];
    EXPECT_EQ(bodyOf(created)["record"]["pool"], "team");

    const json listed = bodyOf(as(laptop, "GET", "/me/api-keys"));
    ASSERT_EQ(listed["keys"].size(), 2u) << listed.dump();
    for (const json& key : listed["keys"]) {
        EXPECT_EQ(key["current"], key["prefix"] == prefixOf(laptop));
    }
    EXPECT_EQ(bodyOf(as(laptop, "GET", "/me"))["customer"]["username"], "ada");

    const HttpReply revoked = as(ada, "DELETE", "/me/api-keys/" + prefixOf(laptop));
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_EQ(as(laptop, "GET", "/me").status, 401);
    EXPECT_EQ(codeOf(as(ada, "DELETE", "/me/api-keys/" + prefixOf(laptop))), "conflict")
        << "revoked for good";

    const json audit = operate("audit.list", {{"limit", 20}});
    int by_customer = 0;
    for (const json& event : audit["events"]) {
        by_customer += event["actor"] == "customer:ada" ? 1 : 0;
    }
    EXPECT_GE(by_customer, 4) << "create, link, revoke, refused revoke: " << audit.dump();

    for (const char* body : {"", "[]", R"({"name":7})", R"({"name":""})"}) {
        const HttpReply bad = as(ada, "POST", "/me/api-keys", body);
        EXPECT_EQ(bad.status, 400) << body << ": " << bad.body;
    }
}

TEST_F(CustomerRoutesTest, TheCallingKeyRotatesAtMostOnceIn24Hours) {
    const std::string ada = customer("ada", "1");
    const HttpReply rotated = as(ada, "POST", "/me/api-token/rotate");
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    const std::string fresh = bodyOf(rotated)["key"];
    EXPECT_EQ(prefixOf(fresh), prefixOf(ada)) << "the same key, a new secret";
    EXPECT_EQ(as(ada, "GET", "/me").status, 401) << "the old secret stops at once";
    EXPECT_EQ(as(fresh, "GET", "/me").status, 200);

    const HttpReply again = as(fresh, "POST", "/me/api-token/rotate");
    EXPECT_EQ(again.status, 429) << again.body;
    EXPECT_EQ(codeOf(again), "rotation_too_soon");
    EXPECT_EQ(as(fresh, "GET", "/me").status, 200) << "a refused rotation changes nothing";
}

TEST_F(CustomerRoutesTest, AnotherCustomersKeyNeverReachesThisWalletOrItsKeys) {
    const std::string ada = customer("ada", "1");
    const std::string bob = customer("bob", "3");
    const json me = bodyOf(as(bob, "GET", "/me"));
    EXPECT_EQ(me["customer"]["username"], "bob");
    EXPECT_EQ(me["wallet"]["balance_usd"], "3.000000");
    ASSERT_EQ(me["keys"].size(), 1u);
    EXPECT_EQ(me["keys"][0]["prefix"], prefixOf(bob));
    const json usage = bodyOf(as(bob, "GET", "/billing/token-usage"));
    ASSERT_EQ(usage["transactions"].size(), 1u) << usage.dump();
    EXPECT_EQ(usage["transactions"][0]["amount_usd"], "3.000000");

    const HttpReply refused = as(bob, "DELETE", "/me/api-keys/" + prefixOf(ada));
    EXPECT_EQ(refused.status, 404) << refused.body;
    EXPECT_EQ(codeOf(refused), "key_not_found");
    EXPECT_EQ(as(ada, "GET", "/me").status, 200) << "ada's key still works";
}

TEST_F(CustomerRoutesTest, AKeyLinkedToNoWalletAndOtherCredentialsAreRefusedTyped) {
    customer("ada", "1");
    const std::string internal = operate("keys.create", {{"pool", "team"}, {"name", "ci"}})["key"];
    for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
             {"GET", "/me"},
             {"GET", "/wallet/status"},
             {"GET", "/billing/token-usage"},
             {"GET", "/me/api-keys"},
             {"POST", "/me/api-keys"},
             {"DELETE", "/me/api-keys/sk-sluice-000000000000"},
             {"POST", "/me/api-token/rotate"}}) {
        const std::string body = method == "POST" ? R"({"name":"x"})" : "";
        const HttpReply reply = as(internal, method, path, body);
        EXPECT_EQ(reply.status, 403) << method << " " << path << ": " << reply.body;
        EXPECT_EQ(codeOf(reply), "no_customer_wallet") << path;
        EXPECT_EQ(as(admin_, method, path, body).status, 401) << "an admin token is no Pool key";
        EXPECT_EQ(harness_.request(method, "/api/v1" + path, body, {}, false).status, 401);
    }
}

// Seed 002's compatibility switch: off by default, per customer, reads of these routes only.
TEST_F(CustomerRoutesTest, AUsernameIsABearerOnlyWhenSwitchedOnAndOnlyForTheReads) {
    const std::string ada = customer("ada", "1");
    customer("bob", "1");
    EXPECT_EQ(as("ada", "GET", "/me").status, 401) << "off by default";

    operate("customers.set_username_bearer", {{"customer", "ada"}, {"enabled", true}});
    const HttpReply me = as("ada", "GET", "/me");
    ASSERT_EQ(me.status, 200) << me.body;
    EXPECT_EQ(bodyOf(me)["customer"]["username"], "ada");
    EXPECT_EQ(bodyOf(me)["wallet"]["balance_usd"], "1.000000");
    for (const char* read : {"/wallet/status", "/billing/token-usage", "/me/api-keys"}) {
        EXPECT_EQ(as("ada", "GET", read).status, 200) << read;
    }
    EXPECT_EQ(as("bob", "GET", "/me").status, 401) << "bob did not opt in";
    EXPECT_EQ(as("ada", "POST", "/me/api-keys", R"({"name":"x"})").status, 401)
        << "changes need a key";
    EXPECT_EQ(as("ada", "DELETE", "/me/api-keys/" + prefixOf(ada)).status, 401);
    EXPECT_EQ(as("ada", "POST", "/me/api-token/rotate").status, 401);
    EXPECT_EQ(harness_
                  .request("POST", "/backend-api/codex/responses", GatewayHarness::turnBody(),
                           {{"Authorization", "Bearer ada"}}, false)
                  .status,
              401)
        << "never on the model routes";
    EXPECT_EQ(harness_
                  .request("POST", "/ops/admin/customers.list", "{}",
                           {{"Authorization", "Bearer ada"}}, false)
                  .status,
              401)
        << "never on operator routes";

    operate("customers.set_username_bearer", {{"customer", "ada"}, {"enabled", false}});
    EXPECT_EQ(as("ada", "GET", "/me").status, 401) << "off again";
}

class UnbilledCustomerRoutesTest : public CustomerRoutesTest {
protected:
    UnbilledCustomerRoutesTest() : CustomerRoutesTest(false) {}
};

TEST_F(UnbilledCustomerRoutesTest, AGatewayThatBillsNothingSaysSo) {
    const HttpReply reply = as(harness_.key(), "GET", "/me");
    EXPECT_EQ(reply.status, 503) << reply.body;
    EXPECT_EQ(codeOf(reply), "billing_unavailable");
}

}  // namespace
}  // namespace sluice::integration
