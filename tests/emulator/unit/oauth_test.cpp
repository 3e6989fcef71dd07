#include <gtest/gtest.h>

#include <chrono>

#include "tests/emulator/token_minter.hpp"
#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kOAuthScript = R"(
accounts:
  - id: acct-a
    access_token: tok-a
    refresh_token: rt-a
    email: a@example.com
    plan_type: pro
  - id: acct-b
    refresh_token: rt-b
    oauth: { mode: invalid_grant, count: 1 }
  - id: acct-c
    refresh_token: rt-c
    oauth: { mode: error, status: 503 }
)";

class OAuthTest : public EmulatorTest {
protected:
    HttpReply refresh(const std::string& refresh_token, bool form = false) const {
        HttpCall request{"POST", "/oauth/token"};
        if (form) {
            request.body =
                "client_id=app_EMoamEEZ73f0CkXaXp7hrann&grant_type=refresh_token"
                "&refresh_token=" +
                refresh_token;
            request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
        } else {
            request.body = nlohmann::json{{"client_id", kCodexClientId},
                                          {"grant_type", "refresh_token"},
                                          {"refresh_reason", "proactive_expiry"},
                                          {"refresh_token", refresh_token}}
                               .dump();
            request.headers = {{"Content-Type", "application/json"}};
        }
        return call(request);
    }
};

TEST_F(OAuthTest, RefreshRotatesTokensAndReuseIsRejected) {
    startWith(kOAuthScript);
    const auto first = refresh("rt-a");
    ASSERT_EQ(first.status, 200) << first.body;
    const auto tokens = first.json();
    const auto access = tokens["access_token"].get<std::string>();
    const auto rotated = tokens["refresh_token"].get<std::string>();
    EXPECT_NE(rotated, "rt-a");

    const auto claims = decodeJwtPayload(access);
    ASSERT_TRUE(claims);
    const auto now = std::time(nullptr);
    EXPECT_GT((*claims)["exp"].get<std::int64_t>(), now);
    EXPECT_EQ((*claims)["https://api.openai.com/auth"]["chatgpt_account_id"], "acct-a");
    const auto id_claims = decodeJwtPayload(tokens["id_token"].get<std::string>());
    ASSERT_TRUE(id_claims);
    EXPECT_EQ((*id_claims)["email"], "a@example.com");
    EXPECT_EQ((*id_claims)["https://api.openai.com/auth"]["chatgpt_plan_type"], "pro");

    // The issued access token now works for the account; the old refresh token does not.
    EXPECT_EQ(postResponses(turnBody(), "acct-a", access).status, 200);
    const auto reused = refresh("rt-a");
    EXPECT_EQ(reused.status, 401);
    EXPECT_EQ(reused.json()["error"]["code"], "refresh_token_reused");
    EXPECT_EQ(refresh("rt-never-issued").json()["error"]["code"], "refresh_token_reused");
    // The rotated one works once, form-encoded too.
    EXPECT_EQ(refresh(rotated, true).status, 200);
    EXPECT_EQ(refresh(rotated, true).status, 401);
}

TEST_F(OAuthTest, ScriptedFailuresInvalidGrantAndServerError) {
    startWith(kOAuthScript);
    const auto invalid = refresh("rt-b");
    EXPECT_EQ(invalid.status, 400);
    EXPECT_EQ(invalid.json()["error"], "invalid_grant");
    EXPECT_EQ(refresh("rt-b").status, 200);  // count: 1, then it recovers
    EXPECT_EQ(refresh("rt-c").status, 503);
    EXPECT_EQ(refresh("rt-c").status, 503);
}

TEST_F(OAuthTest, ExpiredTokenIs401UntilRefreshed) {
    startWith(kOAuthScript);
    ASSERT_EQ(control("POST", "accounts/acct-a/expire-token").status, 200);
    const auto expired = postResponses(turnBody());
    EXPECT_EQ(expired.status, 401);
    EXPECT_EQ(expired.json()["error"]["code"], "token_expired");
    const auto fresh = refresh("rt-a").json()["access_token"].get<std::string>();
    EXPECT_EQ(postResponses(turnBody(), "acct-a", fresh).status, 200);
}

TEST_F(OAuthTest, MintedTokensAuthenticateAndAuthJsonMatches) {
    startWith(kOAuthScript);
    const auto auth = control("GET", "accounts/acct-b/auth-json").json();
    EXPECT_EQ(auth["auth_mode"], "chatgpt");
    EXPECT_EQ(auth["tokens"]["account_id"], "acct-b");
    EXPECT_EQ(auth["tokens"]["refresh_token"], "rt-b");
    const auto access = auth["tokens"]["access_token"].get<std::string>();
    ASSERT_TRUE(decodeJwtPayload(access));
    EXPECT_EQ(postResponses(turnBody(), "acct-b", access).status, 200);
}

TEST_F(OAuthTest, RecordsTheGrantButNeverATokenValue) {
    startWith(kOAuthScript);
    ASSERT_EQ(refresh("rt-a").status, 200);
    const auto records = recorded("acct-a");
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0]["grant_type"], "refresh_token");
    EXPECT_EQ(records[0]["path"], "/oauth/token");
    EXPECT_EQ(nlohmann::json(records).dump().find("rt-a"), std::string::npos);
}

}  // namespace
}  // namespace sluice::emulator::testing
