// Pool usage and workspace discovery through route-backend, and that slow upstream usage and
// token endpoints never hold up requests.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "core/security/encoding.hpp"
#include "tests/integration/backend_test_support.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

// An unsigned JWT access token expiring `seconds` from now (the emulator accepts it as a literal).
std::string expiringToken(int seconds) {
    const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     seconds;
    return core::security::toBase64Url(R"({"alg":"none"})") + "." +
           core::security::toBase64Url(R"({"exp":)" + std::to_string(exp) + "}") + ".sig";
}

// With the upstream's own numbers shown (server.quota_view: upstream); the pool's share, the
// default, is in codex_quota_view_test.cpp.
TEST(BackendUsageTest, UsageRoutesReportThePoolsMostAvailableAccountWithTheUpstreamView) {
    HarnessOptions options = backendOptions(
        "rate_limits: { primary: { used_percent: 70, window_minutes: 300, reset_in: 1h } }",
        "rate_limits: { primary: { used_percent: 20, window_minutes: 300, reset_in: 2h }, "
        "secondary: { used_percent: 35, window_minutes: 10080, reset_in: 3d } }");
    options.accounts_yaml = "{ usage_probe_interval: 50ms, refresh_check_interval: 50ms }";
    options.server_yaml = "quota_view: upstream";
    GatewayHarness harness(options);
    ASSERT_TRUE(eventually([&] {
        return jsonOf(harness.request("GET",
                                      "/backend-api/wham/usage"))["rate_limit"]["secondary_window"]
            .is_object();
    })) << harness.gatewayLog();

    for (const std::string path : {"/backend-api/wham/usage", "/wham/usage", "/api/codex/usage"}) {
        const HttpReply reply = harness.request("GET", path);
        ASSERT_EQ(reply.status, 200) << path;
        const json usage = jsonOf(reply);
        EXPECT_TRUE(usage["plan_type"].is_string());
        EXPECT_EQ(usage["rate_limit"]["allowed"], true);
        EXPECT_EQ(usage["rate_limit"]["limit_reached"], false);
        EXPECT_EQ(usage["rate_limit"]["primary_window"]["used_percent"], 20)
            << "acct-b, the most headroom";
        EXPECT_EQ(usage["rate_limit"]["primary_window"]["limit_window_seconds"], 18000);
        EXPECT_EQ(usage["rate_limit"]["secondary_window"]["used_percent"], 35);
        EXPECT_GT(usage["rate_limit"]["primary_window"]["reset_after_seconds"].get<int>(), 3600);
    }
    EXPECT_EQ(harness.request("GET", "/backend-api/wham/usage", "", {}, false).status, 401);
}

TEST(BackendUsageTest, AccountsCheckShowsThePoolAsTheClientsWorkspace) {
    GatewayHarness harness(backendOptions());
    const json named = jsonOf(harness.request("GET", "/backend-api/wham/accounts/check", "",
                                              {{"chatgpt-account-id", "client-workspace"}}));
    ASSERT_EQ(named["accounts"].size(), 1U);
    EXPECT_EQ(named["accounts"][0]["id"], "client-workspace");
    EXPECT_EQ(named["default_account_id"], "client-workspace");
    EXPECT_EQ(named["accounts"][0]["account_routing_override"], "NO_CONSTRAINT");
    EXPECT_FALSE(named["accounts"][0].contains("workspace_backend_origin"))
        << "the client must stay on Sluice";
    EXPECT_EQ(jsonOf(harness.request("GET", "/api/codex/accounts/check"))["default_account_id"],
              "team");
    EXPECT_TRUE(harness.recordedAt("/backend-api/wham/accounts/check").empty())
        << "answered by the gateway";
}

TEST(BackendUsageTest, SlowUsageAndTokenEndpointsDoNotHoldUpRequests) {
    // acct-a's usage endpoint and token endpoint answer only after an hour; its token is due
    // for a proactive refresh but still valid.
    HarnessOptions options = backendOptions();
    options.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: \"" +
        expiringToken(180) +
        "\", refresh_token: rt-acct-a,\n"
        "      oauth: { delay: 1h }, rate_limits: { usage_delay: 1h } }\n"
        "  - { id: acct-b, access_token: tok-b, rate_limits: { usage_delay: 1h } }\n";
    options.accounts = {{"acct-a", expiringToken(180)}, {"acct-b", "tok-b"}};
    options.accounts_yaml =
        "{ usage_probe_interval: 50ms, refresh_check_interval: 50ms, usage_probe_timeout: 2h }";
    GatewayHarness harness(options);
    ASSERT_TRUE(eventually([&] {
        return !harness.recordedAt("/oauth/token").empty() &&
               harness.recordedAt("/backend-api/wham/usage").size() >= 2;
    })) << harness.gatewayLog();

    // The refresh and both probes are in flight, blocked upstream; requests go on regardless.
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())))
            << "request " << i;
    }
    EXPECT_EQ(harness.modelRequestsByAccount().size(), 2U)
        << "acct-a keeps serving while it refreshes";
    EXPECT_EQ(harness.request("GET", "/backend-api/wham/usage").status, 200);
    EXPECT_EQ(harness.request("GET", "/backend-api/wham/tasks/task_e_acct_a").status, 200);

    // Nothing the blocked calls would produce exists yet: they were still waiting throughout.
    const auto snapshots = harness.runtime().storage().quotas().list(harness.accountId("acct-a"));
    ASSERT_TRUE(snapshots.ok());
    for (const auto& snapshot : snapshots.value()) {
        EXPECT_NE(snapshot.source, "probe");
    }
    EXPECT_LT(harness.storedAccount("acct-a").access_expires_at,
              std::chrono::system_clock::now() + std::chrono::minutes(10));
    harness.upstream().stop();  // releases the blocked upstream calls before the gateway stops
}

// The README's example route entry, as the pipeline would hold it.
std::string readmeRoute() {
    std::ifstream file(std::string(SLUICE_SOURCE_DIR) + "/plugins/route-backend/README.md");
    std::string line;
    bool in_yaml = false;
    while (std::getline(file, line)) {
        in_yaml = line == "```yaml" || (in_yaml && line != "```");
        if (in_yaml && line.find("family: backend_api") != std::string::npos) {
            return line.substr(line.find('{'));
        }
    }
    return {};
}

TEST(BackendUsageTest, ReadmeExampleServes) {
    const std::string route = readmeRoute();
    ASSERT_FALSE(route.empty()) << "no backend_api entry in the README's yaml block";
    HarnessOptions options = backendOptions();
    options.extra_routes = {route};
    GatewayHarness harness(options);
    EXPECT_EQ(harness.request("GET", "/api/codex/usage").status, 200);
    EXPECT_EQ(harness.request("GET", "/backend-api/wham/tasks/list").status, 200);
}

}  // namespace
}  // namespace sluice::integration
