// Faults of the parts around the gateway (issue 22's fault matrix): the token endpoint down or
// hanging while an expired token needs a refresh. Each costs a bounded wait, the request moves
// to an account that can serve it, and the account keeps its credentials.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/integration/backend_test_support.hpp"
#include "tests/integration/gateway_harness.hpp"

namespace sluice::integration {
namespace {

constexpr auto kBound = std::chrono::seconds(5);

HarnessOptions tokenEndpoint(const std::string& oauth) {
    HarnessOptions o;
    o.emulator_script =
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a, refresh_token: rt-acct-a, oauth: " +
        oauth +
        " }\n"
        "  - { id: acct-b, access_token: tok-b, refresh_token: rt-acct-b }\n";
    o.accounts = {{"acct-a", "tok-a"}, {"acct-b", "tok-b"}};
    o.strategy = "round_robin";
    o.accounts_yaml =
        "{ usage_probe_interval: 0s, usage_probe_timeout: 500ms, refresh_check_interval: 1h }";
    return o;
}

// acct-a's token expires with the token endpoint in `oauth`'s state: every turn still completes
// in bounded time, on acct-b once acct-a's refresh has failed.
void expectTrafficMovesOn(GatewayHarness& harness) {
    // The catalog turns are checked against is fetched while the tokens are still good.
    ASSERT_EQ(harness.request("GET", "/backend-api/codex/models").status, 200);
    ASSERT_EQ(harness.emulatorControl("POST", "accounts/acct-a/expire-token"), 200);
    for (int i = 0; i < 4; ++i) {
        const auto started = std::chrono::steady_clock::now();
        const HttpReply reply = harness.postResponses(GatewayHarness::turnBody());
        EXPECT_EQ(reply.status, 200) << reply.body;
        EXPECT_NE(reply.body.find("response.completed"), std::string::npos) << "turn " << i;
        EXPECT_LT(std::chrono::steady_clock::now() - started, kBound) << "turn " << i;
    }
    // A token endpoint that fails says nothing about the refresh token: no re-login asked for.
    EXPECT_NE(harness.storedAccount("acct-a").status, sdk::AccountStatus::ReauthRequired);
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200);
}

TEST(FaultMatrixTest, ATokenEndpointAnswering503DuringARefreshMovesTrafficOn) {
    GatewayHarness harness(tokenEndpoint("{ mode: error, status: 503 }"));
    expectTrafficMovesOn(harness);
    // The refresh runs behind the turns (they failed over at once): wait for its evidence.
    EXPECT_TRUE(eventually([&] { return !harness.recordedAt("/oauth/token").empty(); }));
    EXPECT_TRUE(eventually([&] { return harness.gatewayLogShows("token endpoint answered 503"); }));
}

TEST(FaultMatrixTest, AHangingTokenEndpointCostsTheProbeTimeoutOnly) {
    GatewayHarness harness(tokenEndpoint("{ mode: normal, delay: 1h }"));
    expectTrafficMovesOn(harness);
    // The refresh runs behind the turns (they failed over at once): wait for its evidence.
    EXPECT_TRUE(eventually([&] { return !harness.recordedAt("/oauth/token").empty(); }));
    EXPECT_TRUE(eventually([&] { return harness.gatewayLogShows("token endpoint unreachable"); }));
}

TEST(FaultMatrixTest, AClosedTokenEndpointPortMovesTrafficOn) {
    HarnessOptions o = tokenEndpoint("{ mode: normal }");
    // Port 1 on loopback: nothing listens there, the connect is refused at once.
    o.auth_base_url = "http://127.0.0.1:1";
    GatewayHarness harness(o);
    expectTrafficMovesOn(harness);
    EXPECT_TRUE(eventually([&] { return harness.gatewayLogShows("token endpoint unreachable"); }));
}

}  // namespace
}  // namespace sluice::integration
