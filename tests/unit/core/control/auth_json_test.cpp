#include "core/control/auth_json.hpp"

#include <gtest/gtest.h>

#include "core/security/encoding.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::core::control {
namespace {

std::string jwt(const std::string& claims) {
    return security::toBase64Url(R"({"alg":"RS256","typ":"JWT"})") + "." +
           security::toBase64Url(claims) + ".sig";
}

std::string authJson(const std::string& access, const std::string& id_token,
                     const std::string& account_id) {
    return R"({"auth_mode":"chatgpt","OPENAI_API_KEY":null,"tokens":{"id_token":")" + id_token +
           R"(","access_token":")" + access + R"(","refresh_token":"rt_abc","account_id":")" +
           account_id + R"("},"last_refresh":"2026-11-21T16:16:45Z"})";
}

TEST(AuthJsonTest, ReadsTokensPlanAccountAndExpiry) {
    const std::string id_token = jwt(
        R"({"email":"a@example.com","https://api.openai.com/auth":{"chatgpt_plan_type":"plus","chatgpt_account_id":"acc-1"}})");
    const std::string access = jwt(R"({"exp":1800000000})");
    auto login = parseAuthJson(authJson(access, id_token, ""));
    ASSERT_TRUE(login.ok()) << login.status().message();
    EXPECT_EQ(login->account_id, "acc-1");
    EXPECT_EQ(login->plan_type, "plus");
    EXPECT_EQ(login->refresh_token, "rt_abc");
    ASSERT_TRUE(login->access_expires_at);
    EXPECT_EQ(*login->access_expires_at, sdk::TimePoint(std::chrono::seconds(1'800'000'000)));
}

TEST(AuthJsonTest, PrefersTheExplicitAccountId) {
    const std::string id_token =
        jwt(R"({"https://api.openai.com/auth":{"chatgpt_account_id":"from-claim"}})");
    auto login = parseAuthJson(authJson(jwt("{}"), id_token, "explicit"));
    ASSERT_TRUE(login.ok());
    EXPECT_EQ(login->account_id, "explicit");
    EXPECT_EQ(login->plan_type, "unknown");
}

TEST(AuthJsonTest, RefusesApiKeyFilesAndIncompleteLogins) {
    EXPECT_EQ(parseAuthJson(R"({"auth_mode":"apikey","OPENAI_API_KEY":"sk-x"})").status().message(),
              "auth.json holds an API key, not a ChatGPT login; sign in with `codex login`");
    EXPECT_EQ(parseAuthJson("[]").status().code(), sdk::StatusCode::InvalidArgument);
    EXPECT_EQ(parseAuthJson(R"({"tokens":{}})").status().message(),
              "auth.json has no tokens.access_token");
    const auto no_account = parseAuthJson(authJson(jwt("{}"), "", ""));
    EXPECT_FALSE(no_account.ok());
    EXPECT_EQ(no_account.status().message().find("rt_abc"), std::string::npos);
}

}  // namespace
}  // namespace sluice::core::control
