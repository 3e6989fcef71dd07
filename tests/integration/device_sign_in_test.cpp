// Adding an account by ChatGPT device-code sign-in through the admin API, against the emulator's
// auth server: a test approves (or denies, or expires) the user code through the emulator's
// control API, as a user would in the browser.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "backend_test_support.hpp"
#include "gateway_harness.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

HarnessOptions signInOptions() {
    HarnessOptions o;
    o.emulator_script =
        "server: { device_auth_interval: 1s }\n"
        "accounts:\n"
        "  - { id: acct-a, access_token: tok-a }\n"
        "  - { id: acct-new, plan_type: team }\n";
    o.accounts = {{"acct-a", "tok-a"}};
    o.plugins = {"route-admin"};
    o.extra_routes = {"{ family: admin }"};
    return o;
}

class AdminSignInTest : public ::testing::Test {
protected:
    AdminSignInTest()
        : harness_(signInOptions()),
          admin_(harness_.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops")) {}

    HttpReply admin(const std::string& method, const std::string& path,
                    const std::string& body = "") {
        return harness_.request(
            method, "/admin/api/v1" + path, body,
            {{"Authorization", "Bearer " + admin_}, {"Content-Type", "application/json"}}, false);
    }
    json start(const std::string& body = R"({"pool":"team"})") {
        const HttpReply started = admin("POST", "/sign-ins", body);
        EXPECT_EQ(started.status, 201) << started.body;
        return jsonOf(started);
    }
    /// The sign-in once it has ended (the gateway polls every second; `exchanging` passes too).
    json settled(const json& started) {
        json view;
        const auto done = [&] {
            view = jsonOf(admin("GET", "/sign-ins/" + started["sign_in"].get<std::string>()));
            const std::string phase = view.value("phase", "");
            return phase == "stored" || phase == "expired" || phase == "denied" ||
                   phase == "failed";
        };
        eventually(done);
        return view;
    }
    int verdict(const json& started, const std::string& what, const std::string& body = "") {
        return harness_.emulatorControl(
            "POST", "deviceauth/" + started["user_code"].get<std::string>() + "/" + what, body);
    }

    GatewayHarness harness_;
    std::string admin_;
};

TEST_F(AdminSignInTest, SignedInAccountIsReadyAndServesAPoolKeyRequest) {
    const json started = start(R"({"pool":"team","label":"signed-in","labels":{"tier":"gold"}})");
    EXPECT_EQ(started["phase"], "awaiting_user");
    EXPECT_EQ(started["verification_url"], harness_.upstream().baseUrl() + "/codex/device");
    EXPECT_EQ(started["interval_seconds"], 1);
    EXPECT_TRUE(started["account"].is_null());
    EXPECT_EQ(started.dump().find("deviceauth_"), std::string::npos) << "no device code shown";

    ASSERT_EQ(verdict(started, "approve", R"({"account":"acct-new"})"), 200);
    const json stored = settled(started);
    ASSERT_EQ(stored["phase"], "stored") << stored.dump();
    EXPECT_TRUE(stored["error"].is_null());
    EXPECT_EQ(stored["account"]["label"], "signed-in");
    EXPECT_EQ(stored["account"]["plan_type"], "team");
    EXPECT_EQ(stored["account"]["labels"]["tier"], "gold");
    const std::string account_id = stored["account"]["id"];
    EXPECT_TRUE(eventually([&] {
        return jsonOf(admin("GET", "/accounts/" + account_id)).value("condition", "") == "ready";
    }));

    // Only the new account can serve: the imported one is paused.
    ASSERT_EQ(admin("POST", "/accounts/" + harness_.accountId("acct-a") + "/pause").status, 200);
    const HttpReply turn = harness_.postResponses(GatewayHarness::turnBody());
    EXPECT_TRUE(completedTurn(turn)) << turn.status << " " << turn.body;
    EXPECT_EQ(harness_.modelRequestsByAccount()["acct-new"], 1);

    const json audit = jsonOf(admin("GET", "/audit-events?action=account.sign_in"));
    ASSERT_EQ(audit["events"].size(), 1u) << audit.dump();
    EXPECT_EQ(audit["events"][0]["target"], account_id);
    EXPECT_EQ(audit["events"][0]["outcome"], "success");
    EXPECT_EQ(jsonOf(admin("GET", "/audit-events?action=account.sign_in.start"))["events"].size(),
              1u);
    EXPECT_EQ(harness_.gatewayLog().find(started["user_code"].get<std::string>()),
              std::string::npos)
        << "the user code is never logged";
}

TEST_F(AdminSignInTest, DenialAndExpiryEndWithTypedErrors) {
    const json denied = start();
    const json expired = start();
    ASSERT_EQ(verdict(denied, "deny"), 200);
    ASSERT_EQ(verdict(expired, "expire"), 200);

    const json denied_view = settled(denied);
    EXPECT_EQ(denied_view["phase"], "denied");
    EXPECT_EQ(denied_view["error"]["code"], "sign_in_denied");
    const json expired_view = settled(expired);
    EXPECT_EQ(expired_view["phase"], "expired");
    EXPECT_EQ(expired_view["error"]["code"], "sign_in_expired");
    EXPECT_TRUE(expired_view["account"].is_null());
    EXPECT_EQ(jsonOf(admin("GET", "/accounts"))["accounts"].size(), 1u);
}

TEST_F(AdminSignInTest, BadRequestsAreRefusedBeforeAnyCodeIsAsked) {
    EXPECT_EQ(admin("POST", "/sign-ins", R"({"pool":"absent"})").status, 404);
    EXPECT_EQ(admin("POST", "/sign-ins", R"({"pool":"team","label":"Bad Label"})").status, 400);
    EXPECT_EQ(admin("POST", "/sign-ins", R"({})").status, 400);
    const HttpReply unknown = admin("GET", "/sign-ins/signin_unknown");
    EXPECT_EQ(unknown.status, 404) << unknown.body;
    EXPECT_TRUE(harness_.recordedAt("/api/accounts/deviceauth/usercode").empty());
}

}  // namespace
}  // namespace sluice::integration
