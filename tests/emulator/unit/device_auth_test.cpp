#include <gtest/gtest.h>

#include "tests/emulator/token_minter.hpp"
#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kDeviceAuthScript = R"(
server: { device_auth_interval: 2s }
accounts:
  - id: acct-new
    email: new@example.com
    plan_type: team
)";

class DeviceAuthTest : public EmulatorTest {
protected:
    HttpReply post(const std::string& path, const nlohmann::json& body,
                   const char* type = "application/json") const {
        return call({"POST",
                     path,
                     body.is_string() ? body.get<std::string>() : body.dump(),
                     {{"Content-Type", type}}});
    }
    nlohmann::json begin() const {
        const auto reply =
            post("/api/accounts/deviceauth/usercode", {{"client_id", kCodexClientId}});
        EXPECT_EQ(reply.status, 200) << reply.body;
        return reply.json();
    }
    HttpReply poll(const nlohmann::json& begun) const {
        return post("/api/accounts/deviceauth/token", {{"device_auth_id", begun["device_auth_id"]},
                                                       {"user_code", begun["user_code"]}});
    }
    std::string callback() const { return server_->baseUrl() + "/deviceauth/callback"; }
    HttpReply exchange(const std::string& code, const std::string& verifier,
                       const std::string& redirect) const {
        return post("/oauth/token",
                    "grant_type=authorization_code&code=" + code + "&redirect_uri=" + redirect +
                        "&client_id=" + std::string(kCodexClientId) + "&code_verifier=" + verifier,
                    "application/x-www-form-urlencoded");
    }
};

TEST_F(DeviceAuthTest, ApprovedCodeYieldsTokensOfTheAccountOnce) {
    startWith(kDeviceAuthScript);
    const auto begun = begin();
    EXPECT_EQ(begun["interval"], "2");
    const auto code = begun["user_code"].get<std::string>();
    EXPECT_EQ(control("GET", "/deviceauth").json()["pending"], nlohmann::json::array({code}));

    const auto pending = poll(begun);
    EXPECT_EQ(pending.status, 403);
    EXPECT_EQ(pending.json()["error"]["code"], "authorization_pending");

    EXPECT_EQ(control("POST", "/deviceauth/" + code + "/approve", R"({"account":"nobody"})").status,
              404);
    ASSERT_EQ(
        control("POST", "/deviceauth/" + code + "/approve", R"({"account":"acct-new"})").status,
        200);
    const auto approved = poll(begun);
    ASSERT_EQ(approved.status, 200) << approved.body;
    const auto grant = approved.json();
    EXPECT_FALSE(grant["code_challenge"].get<std::string>().empty());
    EXPECT_EQ(poll(begun).status, 404) << "the authorization code is handed out once";
    EXPECT_TRUE(control("GET", "/deviceauth").json()["pending"].empty());

    const auto authorization_code = grant["authorization_code"].get<std::string>();
    const auto verifier = grant["code_verifier"].get<std::string>();
    EXPECT_EQ(exchange(authorization_code, verifier, "http://elsewhere/cb").status, 400);
    const auto tokens = exchange(authorization_code, verifier, callback());
    ASSERT_EQ(tokens.status, 200) << tokens.body;
    const auto claims = decodeJwtPayload(tokens.json()["id_token"].get<std::string>());
    ASSERT_TRUE(claims);
    EXPECT_EQ((*claims)["https://api.openai.com/auth"]["chatgpt_account_id"], "acct-new");
    EXPECT_EQ((*claims)["https://api.openai.com/auth"]["chatgpt_plan_type"], "team");
    EXPECT_EQ(exchange(authorization_code, verifier, callback()).status, 400) << "used";

    const auto access = tokens.json()["access_token"].get<std::string>();
    EXPECT_EQ(postResponses(turnBody(), "acct-new", access).status, 200);
}

TEST_F(DeviceAuthTest, DeniedAndExpiredCodesAnswerTypedErrors) {
    startWith(kDeviceAuthScript);
    const auto denied = begin();
    const auto expired = begin();
    EXPECT_NE(denied["user_code"], expired["user_code"]);
    ASSERT_EQ(
        control("POST", "/deviceauth/" + denied["user_code"].get<std::string>() + "/deny").status,
        200);
    ASSERT_EQ(control("POST", "/deviceauth/" + expired["user_code"].get<std::string>() + "/expire")
                  .status,
              200);
    EXPECT_EQ(poll(denied).json()["error"]["code"], "access_denied");
    EXPECT_EQ(poll(expired).json()["error"]["code"], "expired_token");
    EXPECT_EQ(control("POST", "/deviceauth/NOPE-CODE/deny").status, 404);
    EXPECT_EQ(post("/api/accounts/deviceauth/usercode", {{"client_id", "other"}}).status, 400);
}

}  // namespace
}  // namespace sluice::emulator::testing
