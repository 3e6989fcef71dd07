// The Codex protocol as it drifted after 0.169 (codex-protocol §12), over HTTP: quota headers
// classified by window length, the new headers read, and an exhausted pool answered as the
// backend answers one exhausted account. Against the emulator, on 127.0.0.1.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

HarnessOptions withAdmin(const std::string& accounts_yaml,
                         std::vector<std::pair<std::string, std::string>> accounts) {
    HarnessOptions o;
    o.emulator_script = "accounts:\n" + accounts_yaml;
    o.accounts = std::move(accounts);
    o.plugins = {"route-admin"};
    o.extra_routes = {"{ family: admin }"};
    return o;
}

class CodexDriftTest : public ::testing::Test {
protected:
    json accountView(GatewayHarness& harness, const std::string& label) {
        if (admin_.empty()) {
            admin_ = harness.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops");
        }
        const HttpReply reply =
            harness.request("GET", "/admin/api/v1/accounts/" + harness.accountId(label), "",
                            {{"Authorization", "Bearer " + admin_}}, false);
        EXPECT_EQ(reply.status, 200) << reply.body;
        return json::parse(reply.body, nullptr, false);
    }

    std::string admin_;
};

TEST_F(CodexDriftTest, AWeeklyWindowInThePrimarySlotIsReadAsTheWeeklyWindow) {
    GatewayHarness harness(
        withAdmin("  - id: acct-a\n"
                  "    access_token: tok-a\n"
                  "    plan_type: pro\n"
                  "    rate_limits:\n"
                  "      primary: { used_percent: 40, window_minutes: 10080, reset_in: 2h }\n"
                  "      credits: { has_credits: true, unlimited: false, balance: \"5\" }\n"
                  "      header_set: drift\n",
                  {{"acct-a", "tok-a"}}));
    ASSERT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 200);

    const json view = accountView(harness, "acct-a");
    EXPECT_TRUE(view["primary"].is_null()) << view.dump();
    ASSERT_TRUE(view["secondary"].is_object()) << view.dump();
    EXPECT_EQ(view["secondary"]["window_minutes"], 10080);
    EXPECT_EQ(view["secondary"]["used_percent"], 40);
    EXPECT_FALSE(view["secondary"]["resets_at"].is_null());
    EXPECT_EQ(view["upstream_plan_type"], "pro");
    EXPECT_EQ(view["credits"],
              (json{{"has_credits", true}, {"unlimited", false}, {"balance", "5"}}));
}

TEST_F(CodexDriftTest, AUsedUpWeeklyWindowInThePrimarySlotExcludesTheAccountUntilItsReset) {
    GatewayHarness harness(
        withAdmin("  - id: acct-a\n"
                  "    access_token: tok-a\n"
                  "    rate_limits:\n"
                  "      primary: { used_percent: 100, window_minutes: 10080, reset_in: 2h }\n"
                  "      header_set: drift\n"
                  "  - { id: acct-b, access_token: tok-b }\n",
                  {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}}));
    for (int i = 0; i < 4; ++i) {
        ASSERT_EQ(harness.postResponses(GatewayHarness::turnBody()).status, 200);
    }
    // Round robin would alternate; once acct-a reported its weekly window used up, only acct-b.
    EXPECT_EQ(harness.modelRequestsByAccount()["acct-a"], 1);
    EXPECT_EQ(harness.modelRequestsByAccount()["acct-b"], 3);
    EXPECT_EQ(accountView(harness, "acct-a")["condition"], "quota_exhausted");
}

TEST_F(CodexDriftTest, AnExhaustedPoolAnswers429UsageLimitReachedWithItsEarliestReset) {
    GatewayHarness harness(withAdmin(
        "  - { id: acct-a, access_token: tok-a, behaviour: { mode: usage_limit, resets_in: 2h } }\n"
        "  - { id: acct-b, access_token: tok-b, behaviour: { mode: usage_limit, resets_in: 1h } "
        "}\n",
        {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}}));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    // First both accounts answer 429 live, then both are known exhausted before any attempt.
    for (int round = 0; round < 2; ++round) {
        const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
        ASSERT_EQ(reply.status, 429) << reply.body;
        const json error = json::parse(reply.body)["error"];
        EXPECT_EQ(error["type"], "usage_limit_reached");
        EXPECT_NEAR(error["resets_at"].get<double>(), static_cast<double>(now + 3600), 5);
        EXPECT_NEAR(std::stod(reply.header("retry-after")), 3600, 5);
    }
    EXPECT_EQ(harness.modelRequestsByAccount()["acct-a"], 1);
    EXPECT_EQ(harness.modelRequestsByAccount()["acct-b"], 1);
}

TEST_F(CodexDriftTest, APoolWithAnAccountOutForAnotherReasonStaysA503) {
    GatewayHarness harness(withAdmin(
        "  - { id: acct-a, access_token: tok-a, behaviour: { mode: usage_limit } }\n"
        "  - { id: acct-b, access_token: tok-b, behaviour: { mode: error, status: 500 } }\n",
        {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}}));
    for (int i = 0; i < 4; ++i) {
        harness.postResponses(GatewayHarness::turnBody());
    }
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_EQ(reply.status, 503) << reply.body;
    EXPECT_NE(reply.body.find("no_eligible_account"), std::string::npos) << reply.body;
}

TEST_F(CodexDriftTest, APinnedAccountReachingItsLimitLiveGetsTheRecoveryHint) {
    GatewayHarness harness(
        withAdmin("  - { id: acct-a, access_token: tok-a }\n"
                  "  - { id: acct-b, access_token: tok-b }\n",
                  {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}}));
    const HttpReply first = harness.postResponses(GatewayHarness::turnBody("hi", false));
    ASSERT_EQ(first.status, 200);
    const std::string response_id = json::parse(first.body)["id"];
    const std::string owner = harness.recorded().back().account_id;
    harness.setBehaviour(owner, R"({"mode":"usage_limit","resets_in":"1h"})");
    const HttpReply continued = harness.postResponses(json{
        {"model", "gpt-5.5"},
        {"stream", true},
        {"previous_response_id", response_id},
        {"input", json::array()}}.dump());
    EXPECT_EQ(continued.status, 503) << continued.body;
    EXPECT_EQ(json::parse(continued.body)["error"]["code"], "pinned_account_unavailable");
    EXPECT_EQ(continued.header("x-codex-recovery-kind"), "restart_with_full_context");
    EXPECT_NEAR(std::stod(continued.header("retry-after")), 3600, 5);
    // Only the owner was asked: a pinned conversation never moves silently.
    EXPECT_EQ(harness.modelRequestsByAccount()[owner], 2);
}

json catalogEntry(const std::string& slug) {
    return {{"slug", slug},
            {"display_name", slug},
            {"supported_reasoning_levels", json::array()},
            {"shell_type", "shell_command"},
            {"visibility", "list"},
            {"supported_in_api", true},
            {"priority", 1},
            {"support_verbosity", false},
            {"truncation_policy", {{"mode", "tokens"}, {"limit", 10000}}},
            {"experimental_supported_tools", json::array()}};
}

std::vector<std::string> catalogSlugs(const HttpReply& reply) {
    std::vector<std::string> out;
    const json document = json::parse(reply.body);
    for (const json& model : document["models"]) {
        out.push_back(model["slug"].get<std::string>());
    }
    return out;
}

TEST_F(CodexDriftTest, EachClientGetsTheModelEntriesItCanDecode) {
    GatewayHarness harness(
        withAdmin("  - { id: acct-a, access_token: tok-a }\n", {{"acct-a", "tok-a"}}));
    json newer = catalogEntry("gpt-next");
    newer["minimal_client_version"] = json::array({0, 180, 0});
    json broken = catalogEntry("gpt-broken");
    broken.erase("truncation_policy");
    ASSERT_EQ(
        harness.emulatorControl("PUT", "models",
                                json{{"models", {catalogEntry("gpt-5.5"), newer, broken}}}.dump()),
        200);

    const HttpReply old_client =
        harness.request("GET", "/backend-api/codex/models?client_version=0.169.0");
    ASSERT_EQ(old_client.status, 200) << old_client.body;
    EXPECT_EQ(catalogSlugs(old_client), (std::vector<std::string>{"gpt-5.5"}));

    const HttpReply new_client = harness.request("GET", "/backend-api/codex/models", "",
                                                 {{"User-Agent", "codex_cli_rs/0.180.1 (x)"}});
    ASSERT_EQ(new_client.status, 200) << new_client.body;
    EXPECT_EQ(catalogSlugs(new_client), (std::vector<std::string>{"gpt-5.5", "gpt-next"}));
    EXPECT_NE(old_client.header("etag"), new_client.header("etag"));
    EXPECT_EQ(harness
                  .request("GET", "/backend-api/codex/models?client_version=0.169.0", "",
                           {{"If-None-Match", old_client.header("etag")}})
                  .status,
              304);
}

}  // namespace
}  // namespace sluice::integration
