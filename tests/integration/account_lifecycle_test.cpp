// Upstream account upkeep against the emulator's token endpoint and usage endpoint: proactive
// and 401-triggered refresh, terminal refresh failures, single-flight, quota probes.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "core/security/encoding.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

// An unsigned JWT access token expiring `seconds` from now (the emulator accepts it as a literal).
std::string expiringToken(int seconds) {
    const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count() +
                     seconds;
    return core::security::toBase64Url(R"({"alg":"none"})") + "." +
           core::security::toBase64Url(R"({"exp":)" + std::to_string(exp) + "}") + ".sig";
}

bool eventually(const std::function<bool()>& condition) {
    for (int i = 0; i < 500; ++i) {
        if (condition()) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return condition();
}

HarnessOptions twoAccounts(const std::string& token_a,
                           const std::string& oauth_a = "{ mode: normal }") {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: \"" +
        token_a + "\", refresh_token: rt-acct-a, oauth: " + oauth_a +
        " }\n"
        "  - { id: acct-b, access_token: tok-b, refresh_token: rt-acct-b }\n";
    o.accounts = {{"acct-a", token_a}, {"acct-b", "tok-b"}};
    o.accounts_yaml = "{ usage_probe_interval: 0s, refresh_check_interval: 50ms }";
    return o;
}

TEST(AccountLifecycleTest, RefreshesATokenBeforeItExpires) {
    GatewayHarness harness(twoAccounts(expiringToken(120)));
    ASSERT_TRUE(eventually([&] { return !harness.recordedAt("/oauth/token").empty(); }));
    const bool rotated = eventually([&] {
        const auto account = harness.storedAccount("acct-a");
        return account.status == sdk::AccountStatus::Active &&
               account.access_expires_at >
                   std::chrono::system_clock::now() + std::chrono::minutes(30);
    });
    ASSERT_TRUE(rotated) << harness.gatewayLog();
    EXPECT_EQ(harness.recordedAt("/oauth/token").size(), 1U);
    // The rotated token works: every request succeeds, on both accounts.
    for (int i = 0; i < 4; ++i) {
        EXPECT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())));
    }
    EXPECT_EQ(harness.modelRequestsByAccount().size(), 2U);
}

TEST(AccountLifecycleTest, A401RefreshesInlineAndTheRequestStillSucceeds) {
    HarnessOptions o = twoAccounts("tok-a");
    o.ring_size = 1;  // no other account to fall back to: only the refresh can save the request
    GatewayHarness harness(o);
    // The catalog turns are checked against is fetched while the tokens are still good.
    ASSERT_EQ(harness.request("GET", "/backend-api/codex/models").status, 200);
    ASSERT_EQ(harness.emulatorControl("POST", "accounts/acct-a/expire-token"), 200);
    ASSERT_EQ(harness.emulatorControl("POST", "accounts/acct-b/expire-token"), 200);
    const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
    EXPECT_TRUE(completedTurn(reply)) << reply.status << " " << reply.body;
    EXPECT_EQ(harness.recordedAt("/oauth/token").size(), 1U);
    const auto logs = harness.requestLogsAtLeast(2);
    ASSERT_EQ(logs.size(), 2U);
    const auto& turn = logs[0].route == "codex.responses" ? logs[0] : logs[1];
    EXPECT_NE(turn.routing_json.find("token_refresh"), std::string::npos);
    EXPECT_EQ(turn.status, 200);
}

TEST(AccountLifecycleTest, A401FailsOverAtOnceWhileTheTokenRenewsBehind) {
    // The token endpoint takes 2s; acct-b can serve, so no request may wait for the refresh.
    GatewayHarness harness(twoAccounts("tok-a", "{ mode: normal, delay: 2s }"));
    ASSERT_EQ(harness.request("GET", "/backend-api/codex/models").status, 200);
    ASSERT_EQ(harness.emulatorControl("POST", "accounts/acct-a/expire-token"), 200);
    for (int i = 0; i < 4; ++i) {
        const auto started = std::chrono::steady_clock::now();
        const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
        EXPECT_TRUE(completedTurn(reply)) << reply.status << " " << reply.body;
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
    }
    std::size_t refused = 0;
    for (const auto& record : harness.recordedAt("/backend-api/codex/responses")) {
        refused += record.status == 401 ? 1 : 0;
    }
    EXPECT_EQ(refused, 1U);  // while it renews, walks pass acct-a over
    ASSERT_TRUE(eventually([&] { return harness.recordedAt("/oauth/token").size() == 1; }));
    ASSERT_TRUE(eventually(
        [&] { return harness.storedAccount("acct-a").status == sdk::AccountStatus::Active; }));
}

TEST(AccountLifecycleTest, AReusedRefreshTokenNeedsReauthAndTrafficMovesOn) {
    GatewayHarness harness(twoAccounts("tok-a", "{ mode: reused }"));
    // The catalog turns are checked against is fetched while the token is still good.
    ASSERT_EQ(harness.request("GET", "/backend-api/codex/models").status, 200);
    ASSERT_EQ(harness.emulatorControl("POST", "accounts/acct-a/expire-token"), 200);
    for (int i = 0; i < 6; ++i) {
        EXPECT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())))
            << "request " << i;
    }
    const auto account = harness.storedAccount("acct-a");
    EXPECT_EQ(account.status, sdk::AccountStatus::ReauthRequired);
    EXPECT_NE(account.status_reason.find("refresh_token_reused"), std::string::npos)
        << account.status_reason;
    // Out of eligibility: after the one 401 and its failed refresh, acct-a gets nothing.
    EXPECT_EQ(harness.modelRequestsByAccount().count("acct-a"), 0U);
    std::size_t refused = 0;
    for (const auto& record : harness.recordedAt("/backend-api/codex/responses")) {
        refused += record.status == 401 ? 1 : 0;
    }
    EXPECT_EQ(refused, 1U);
    EXPECT_EQ(harness.recordedAt("/oauth/token").size(), 1U);
}

TEST(AccountLifecycleTest, ConcurrentRequestsShareOneRefresh) {
    HarnessOptions o = twoAccounts("tok-a", "{ mode: normal, delay: 400ms }");
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, refresh_token: rt-acct-a, oauth: { mode: normal, "
        "delay: 400ms } }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    GatewayHarness harness(o);
    ASSERT_EQ(harness.emulatorControl("POST", "accounts/acct-a/expire-token"), 200);
    auto first = std::async(std::launch::async,
                            [&] { return harness.postResponses(GatewayHarness::turnBody()); });
    auto second = std::async(std::launch::async,
                             [&] { return harness.postResponses(GatewayHarness::turnBody()); });
    const HttpReply one = first.get();
    const HttpReply two = second.get();
    EXPECT_TRUE(completedTurn(one)) << one.status << " " << one.body;
    EXPECT_TRUE(completedTurn(two)) << two.status << " " << two.body;
    EXPECT_EQ(harness.recordedAt("/oauth/token").size(), 1U);
}

TEST(AccountLifecycleTest, QuotaProbesExcludeAnExhaustedAccountWithoutAnyTraffic) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - id: acct-a\n"
        "    access_token: tok-a\n"
        "    rate_limits: { primary: { used_percent: 100, window_minutes: 300, reset_in: 2h } }\n"
        "  - { id: acct-b, access_token: tok-b }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    o.accounts_yaml = "{ usage_probe_interval: 100ms, refresh_check_interval: 50ms }";
    GatewayHarness harness(o);
    ASSERT_TRUE(
        eventually([&] { return harness.recordedAt("/backend-api/wham/usage").size() >= 2; }));
    for (int i = 0; i < 6; ++i) {
        EXPECT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())));
    }
    EXPECT_EQ(harness.modelRequestsByAccount()["acct-a"], 0);
    const auto snapshots = harness.runtime().storage().quotas().list(harness.accountId("acct-a"));
    ASSERT_TRUE(snapshots.ok());
    ASSERT_FALSE(snapshots->empty());
    EXPECT_DOUBLE_EQ(snapshots->front().used_percent, 100);
    EXPECT_EQ(snapshots->front().source, "probe");
}

TEST(AccountLifecycleTest, BackgroundRefreshDoesNotDelayRequests) {
    // The token endpoint is slow; the token still has minutes left, so requests must not wait.
    GatewayHarness harness(twoAccounts(expiringToken(180), "{ mode: normal, delay: 3s }"));
    ASSERT_TRUE(eventually([&] { return !harness.recordedAt("/oauth/token").empty(); }));
    for (int i = 0; i < 4; ++i) {
        const auto started = std::chrono::steady_clock::now();
        EXPECT_TRUE(completedTurn(harness.postResponses(GatewayHarness::turnBody())));
        EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(1));
    }
}

}  // namespace
}  // namespace sluice::integration
