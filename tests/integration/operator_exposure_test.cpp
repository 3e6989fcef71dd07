// What the operator surfaces answer to whom: the admin page and API only under an allowed Host
// (DNS rebinding: a hostile page's name resolving to the gateway), checked before the admin
// token; /metrics only with the Bearer server.metrics_token once one is set.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

HarnessOptions adminOptions(const std::string& admin_route = "{ family: admin }") {
    HarnessOptions o;
    o.emulator_script = "accounts:\n  - { id: acct-a, access_token: tok-a }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.plugins = {"route-admin"};
    o.extra_routes = {admin_route};
    return o;
}

class AdminHostTest : public ::testing::Test {
protected:
    explicit AdminHostTest(const HarnessOptions& options = adminOptions())
        : harness_(options),
          admin_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops")) {}

    HttpReply page(const std::string& host) {
        return harness_.request("GET", "/admin", "", {{"Host", host}}, false);
    }

    HttpReply api(const std::string& host, const std::string& token) {
        return harness_.request("GET", "/admin/api/v1/service", "",
                                {{"Host", host}, {"Authorization", "Bearer " + token}}, false);
    }

    std::string port() const { return std::to_string(harness_.port()); }

    GatewayHarness harness_;
    std::string admin_;
};

void expectMisdirected(const HttpReply& reply) {
    ASSERT_EQ(reply.status, 421) << reply.body;
    const json error = json::parse(reply.body)["error"];
    EXPECT_EQ(error["code"], "misdirected_request");
    EXPECT_EQ(error["type"], "invalid_request_error");
}

TEST_F(AdminHostTest, ForeignHostIsRefusedBeforeTheToken) {
    for (const std::string& host :
         std::vector<std::string>{"evil.example", "evil.example:" + port(),
                                  "127.0.0.1.evil.example:" + port(), "localhost:1"}) {
        SCOPED_TRACE(host);
        expectMisdirected(page(host));
        expectMisdirected(api(host, admin_));
        expectMisdirected(api(host, "not-a-token"));
    }
}

TEST_F(AdminHostTest, ListenAddressAndLoopbackNamesAreServed) {
    for (const std::string& host :
         std::vector<std::string>{"127.0.0.1:" + port(), "127.0.0.1", "localhost:" + port(),
                                  "LOCALHOST:" + port(), "[::1]:" + port()}) {
        SCOPED_TRACE(host);
        EXPECT_EQ(page(host).status, 200);
        EXPECT_EQ(api(host, admin_).status, 200);
        EXPECT_EQ(api(host, "not-a-token").status, 401) << "an allowed Host still needs the token";
    }
}

class AdminExtraHostTest : public AdminHostTest {
protected:
    AdminExtraHostTest()
        : AdminHostTest(
              adminOptions("{ family: admin, config: { allowed_hosts: [admin.internal] } }")) {}
};

TEST_F(AdminExtraHostTest, ConfiguredHostsAreServedBesidesTheDefaults) {
    EXPECT_EQ(api("admin.internal", admin_).status, 200);
    EXPECT_EQ(api("localhost:" + port(), admin_).status, 200);
    expectMisdirected(api("admin.internal.evil.example", admin_));
}

TEST(MetricsTokenTest, MetricsWantTheBearerTokenOnceConfigured) {
    HarnessOptions options = adminOptions();
    options.server_yaml = "metrics_token: metrics-secret-1";
    GatewayHarness harness(options);
    const HttpReply missing = harness.request("GET", "/metrics", "", {}, false);
    ASSERT_EQ(missing.status, 401) << missing.body;
    EXPECT_EQ(json::parse(missing.body)["error"]["code"], "invalid_metrics_token");
    EXPECT_EQ(missing.header("WWW-Authenticate"), "Bearer");
    EXPECT_EQ(
        harness
            .request("GET", "/metrics", "", {{"Authorization", "Bearer metrics-secret-2"}}, false)
            .status,
        401);
    const HttpReply served = harness.request("GET", "/metrics", "",
                                             {{"Authorization", "Bearer metrics-secret-1"}}, false);
    EXPECT_EQ(served.status, 200);
    EXPECT_NE(served.body.find("# TYPE"), std::string::npos);
    EXPECT_EQ(harness.request("GET", "/healthz", "", {}, false).status, 200) << "probes stay open";
    EXPECT_EQ(harness.gatewayLog().find("metrics-secret-1"), std::string::npos);
}

TEST(MetricsTokenTest, MetricsStayOpenWithoutTheSetting) {
    GatewayHarness harness(adminOptions());
    EXPECT_EQ(harness.request("GET", "/metrics", "", {}, false).status, 200);
}

}  // namespace
}  // namespace sluice::integration
