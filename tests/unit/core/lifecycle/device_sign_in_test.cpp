#include "core/lifecycle/device_sign_in.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/security/encoding.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/unit/core/lifecycle/auth_server_reply.hpp"

namespace sluice::core::lifecycle {
namespace {

using json = nlohmann::json;
using testing::jsonReply;
using Phase = DeviceSignIn::Phase;
using namespace std::chrono_literals;

std::string jwt(const json& claims) {
    return security::toBase64Url(R"({"alg":"RS256","typ":"JWT"})") + "." +
           security::toBase64Url(claims.dump()) + ".sig";
}

class DeviceSignInTest : public ::testing::Test {
protected:
    DeviceSignInTest()
        : flow_(http_, clock_, {"http://auth.test", "app_client", "codex_cli_rs/0.169.0", 5s},
                [this](const control::CodexLogin& login) -> sdk::Result<sdk::AccountRecord> {
                    stored_.push_back(login);
                    if (!store_status_.ok()) {
                        return store_status_;
                    }
                    sdk::AccountRecord record;
                    record.id = "acct_new";
                    record.chatgpt_account_id = login.account_id;
                    return record;
                }) {}

    void awaitUser(const json& usercode = {{"device_auth_id", "dev_secret"},
                                           {"user_code", "ABCD-EFGH"},
                                           {"interval", "3"}}) {
        http_.enqueue(jsonReply(200, usercode));
        flow_.requestCode();
        ASSERT_EQ(flow_.phase(), Phase::AwaitingUser);
    }
    void pollWith(int status, const json& body) {
        http_.enqueue(jsonReply(status, body));
        flow_.step();
    }
    static json pending() { return {{"error", {{"code", "authorization_pending"}}}}; }
    static json approved() {
        return {{"authorization_code", "ac_secret"},
                {"code_verifier", "verifier/+secret"},
                {"code_challenge", "challenge"}};
    }
    static json tokens() {
        return {{"id_token", jwt({{"https://api.openai.com/auth",
                                   {{"chatgpt_account_id", "acc-1"},
                                    {"chatgpt_plan_type", "team"},
                                    {"chatgpt_user_id", "user-1"}}}})},
                {"access_token", jwt({{"exp", 1'800'003'600}})},
                {"refresh_token", "rt_new"}};
    }

    sdk::testing::FakeClock clock_;
    sdk::testing::FakeHttpClient http_;
    std::vector<control::CodexLogin> stored_;
    sdk::Status store_status_;
    DeviceSignIn flow_;
};

TEST_F(DeviceSignInTest, RunsFromUserCodeToStoredAccount) {
    awaitUser();
    EXPECT_EQ(flow_.userCode(), "ABCD-EFGH");
    EXPECT_EQ(flow_.verificationUrl(), "http://auth.test/codex/device");
    EXPECT_EQ(flow_.interval(), 3s);
    EXPECT_EQ(flow_.dueAt(), clock_.steadyNow() + 3s);
    EXPECT_EQ(flow_.expiresAt(), clock_.now() + 15min);

    pollWith(403, pending());
    EXPECT_EQ(flow_.phase(), Phase::AwaitingUser);
    pollWith(200, approved());
    EXPECT_EQ(flow_.phase(), Phase::Exchanging);
    http_.enqueue(jsonReply(200, tokens()));
    flow_.step();
    ASSERT_EQ(flow_.phase(), Phase::Stored) << flow_.errorMessage();
    ASSERT_TRUE(flow_.account());
    EXPECT_EQ(flow_.account()->id, "acct_new");
    ASSERT_EQ(stored_.size(), 1u);
    EXPECT_EQ(stored_[0].account_id, "acc-1");
    EXPECT_EQ(stored_[0].plan_type, "team");
    EXPECT_EQ(stored_[0].refresh_token, "rt_new");
    EXPECT_TRUE(flow_.finished());

    const auto calls = http_.calls();
    ASSERT_EQ(calls.size(), 4u);
    EXPECT_EQ(calls[0].url, "http://auth.test/api/accounts/deviceauth/usercode");
    EXPECT_EQ(json::parse(calls[0].body), json({{"client_id", "app_client"}}));
    EXPECT_EQ(calls[1].url, "http://auth.test/api/accounts/deviceauth/token");
    EXPECT_EQ(json::parse(calls[1].body),
              json({{"device_auth_id", "dev_secret"}, {"user_code", "ABCD-EFGH"}}));
    EXPECT_EQ(calls[3].url, "http://auth.test/oauth/token");
    EXPECT_EQ(calls[3].body,
              "grant_type=authorization_code&code=ac_secret&redirect_uri=http%3A%2F%2Fauth.test%"
              "2Fdeviceauth%2Fcallback&client_id=app_client&code_verifier=verifier%2F%2Bsecret");
    flow_.step();
    EXPECT_EQ(http_.calls().size(), 4u) << "a finished sign-in calls nobody";
}

TEST_F(DeviceSignInTest, SlowDownAndUnreachableServerKeepWaiting) {
    awaitUser({{"device_auth_id", "d"}, {"user_code", "U"}, {"interval", 2}});
    pollWith(400, {{"error", "slow_down"}});
    EXPECT_EQ(flow_.phase(), Phase::AwaitingUser);
    EXPECT_EQ(flow_.interval(), 7s);
    EXPECT_EQ(flow_.dueAt(), clock_.steadyNow() + 7s);
    flow_.step();  // nothing queued: the server is unreachable
    EXPECT_EQ(flow_.phase(), Phase::AwaitingUser);
    pollWith(503, {{"error", {{"code", "server_error"}}}});
    EXPECT_EQ(flow_.phase(), Phase::AwaitingUser);
    pollWith(404, json::object());
    EXPECT_EQ(flow_.phase(), Phase::AwaitingUser) << "the CLI reads 404 as not yet";
}

TEST_F(DeviceSignInTest, MissingIntervalDefaultsToFiveSeconds) {
    awaitUser({{"device_auth_id", "d"}, {"user_code", "U"}});
    EXPECT_EQ(flow_.interval(), 5s);
}

TEST_F(DeviceSignInTest, DenialIsTyped) {
    awaitUser();
    pollWith(400, {{"error", {{"code", "access_denied"}}}});
    EXPECT_EQ(flow_.phase(), Phase::Denied);
    EXPECT_EQ(flow_.errorCode(), "sign_in_denied");
    EXPECT_TRUE(flow_.finished());
}

TEST_F(DeviceSignInTest, ServerExpiryIsTyped) {
    awaitUser();
    pollWith(400, {{"error", {{"code", "expired_token"}}}});
    EXPECT_EQ(flow_.phase(), Phase::Expired);
    EXPECT_EQ(flow_.errorCode(), "sign_in_expired");
}

TEST_F(DeviceSignInTest, OwnDeadlineExpiresWithoutAskingAgain) {
    awaitUser({{"device_auth_id", "d"}, {"user_code", "U"}, {"interval", "5"}, {"expires_in", 60}});
    clock_.advance(60s);
    flow_.step();
    EXPECT_EQ(flow_.phase(), Phase::Expired);
    EXPECT_EQ(flow_.errorCode(), "sign_in_expired");
    EXPECT_EQ(http_.calls().size(), 1u);
}

TEST_F(DeviceSignInTest, ALongIntervalStillEndsAtTheDeadline) {
    awaitUser({{"device_auth_id", "d"}, {"user_code", "U"}, {"interval", "3600"}});
    EXPECT_EQ(flow_.dueAt(), clock_.steadyNow() + 15min);
    clock_.advance(15min);
    flow_.step();
    EXPECT_EQ(flow_.phase(), Phase::Expired);
}

TEST_F(DeviceSignInTest, UnknownRefusalFails) {
    awaitUser();
    pollWith(400, {{"error", {{"code", "invalid_client"}}}});
    EXPECT_EQ(flow_.phase(), Phase::Failed);
    EXPECT_EQ(flow_.errorCode(), "sign_in_failed");
    EXPECT_NE(flow_.errorMessage().find("400"), std::string::npos);
}

TEST_F(DeviceSignInTest, NoUserCodeFailsAtOnce) {
    http_.enqueue(jsonReply(500, json::object()));
    flow_.requestCode();
    EXPECT_EQ(flow_.phase(), Phase::Failed);
    EXPECT_NE(flow_.errorMessage().find("500"), std::string::npos);
}

TEST_F(DeviceSignInTest, RefusedExchangeFailsWithoutSecrets) {
    awaitUser();
    pollWith(200, approved());
    http_.enqueue(jsonReply(400, {{"error", "invalid_grant"}}));
    flow_.step();
    EXPECT_EQ(flow_.phase(), Phase::Failed);
    EXPECT_NE(flow_.errorMessage().find("invalid_grant"), std::string::npos);
    EXPECT_EQ(flow_.errorMessage().find("ac_secret"), std::string::npos);
    EXPECT_TRUE(stored_.empty());
}

TEST_F(DeviceSignInTest, StorageRefusalFails) {
    store_status_ = {sdk::StatusCode::AlreadyExists, "this ChatGPT seat is already imported"};
    awaitUser();
    pollWith(200, approved());
    http_.enqueue(jsonReply(200, tokens()));
    flow_.step();
    EXPECT_EQ(flow_.phase(), Phase::Failed);
    EXPECT_NE(flow_.errorMessage().find("already imported"), std::string::npos);
    EXPECT_FALSE(flow_.account());
}

}  // namespace
}  // namespace sluice::core::lifecycle
