#include <gtest/gtest.h>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kScript = R"(
accounts:
  - id: acct-a
    access_token: tok-secret-a
    refresh_token: rt-secret-a
)";

class ControlApiTest : public EmulatorTest {
protected:
    HttpReply postAs(const nlohmann::json& body, const std::string& account = "acct-a",
                     const std::string& token = "tok-secret-a") const {
        return postResponses(body, account, token);
    }
};

TEST_F(ControlApiTest, BehaviourChangesTakeEffectMidTest) {
    startWith(kScript);
    EXPECT_EQ(postAs(turnBody()).status, 200);
    ASSERT_EQ(control("PUT", "accounts/acct-a/behaviour", R"({"mode":"usage_limit"})").status, 200);
    EXPECT_EQ(postAs(turnBody()).status, 429);
    // PATCH keeps what is not named; PUT starts from the defaults.
    ASSERT_EQ(control("PATCH", "accounts/acct-a/behaviour", R"({"deltas": 1})").status, 200);
    EXPECT_EQ(postAs(turnBody()).status, 429);
    ASSERT_EQ(control("PUT", "accounts/acct-a/behaviour", R"({"deltas": 1})").status, 200);
    EXPECT_EQ(parseSse(postAs(turnBody()).body).size(), 9u);
}

TEST_F(ControlApiTest, FaultsQueueAndClear) {
    startWith(kScript);
    ASSERT_EQ(
        control("POST", "accounts/acct-a/faults", R"([{"mode":"error","status":502,"count":2}])")
            .status,
        200);
    const auto view = control("GET", "accounts/acct-a").json();
    ASSERT_EQ(view["faults"].size(), 1u);
    EXPECT_EQ(view["faults"][0]["count"], 2);
    EXPECT_EQ(postAs(turnBody()).status, 502);
    ASSERT_EQ(control("DELETE", "accounts/acct-a/faults").status, 200);
    EXPECT_EQ(postAs(turnBody()).status, 200);
}

TEST_F(ControlApiTest, RateLimitsCanBeChanged) {
    startWith(kScript);
    ASSERT_EQ(
        control("PUT", "accounts/acct-a/rate_limits",
                R"({"primary":{"used_percent":88.5,"window_minutes":300,"reset_at":1900000000}})")
            .status,
        200);
    const auto reply = postAs(turnBody());
    EXPECT_EQ(reply.header("x-codex-primary-used-percent"), "88.5");
    EXPECT_EQ(reply.header("x-codex-primary-reset-at"), "1900000000");
}

TEST_F(ControlApiTest, AccountsCanBeAddedAndRemovedAtRuntime) {
    startWith(kScript);
    const auto added = control("POST", "accounts",
                               R"({"id":"acct-new","access_token":"tok-new","plan_type":"pro"})");
    ASSERT_EQ(added.status, 201) << added.body;
    EXPECT_EQ(postAs(turnBody(), "acct-new", "tok-new").status, 200);
    EXPECT_EQ(control("POST", "accounts", R"({"id":"acct-new"})").status, 409);
    EXPECT_EQ(control("GET", "accounts").json()["accounts"].size(), 2u);
    ASSERT_EQ(control("DELETE", "accounts/acct-new").status, 200);
    EXPECT_EQ(postAs(turnBody(), "acct-new", "tok-new").status, 401);
}

TEST_F(ControlApiTest, BadBodiesNameTheOffendingKey) {
    startWith(kScript);
    const auto reply = control("PUT", "accounts/acct-a/behaviour", R"({"mode":"sideways"})");
    EXPECT_EQ(reply.status, 400);
    EXPECT_NE(reply.json()["error"]["message"].get<std::string>().find("behaviour.mode"),
              std::string::npos);
    EXPECT_EQ(control("PUT", "accounts/nobody/behaviour", "{}").status, 404);
}

TEST_F(ControlApiTest, ResetRestoresTheStartupScript) {
    startWith(kScript);
    ASSERT_EQ(control("PUT", "accounts/acct-a/behaviour", R"({"mode":"error"})").status, 200);
    ASSERT_EQ(control("POST", "accounts", R"({"id":"acct-extra"})").status, 201);
    EXPECT_EQ(postAs(turnBody()).status, 500);
    ASSERT_EQ(control("POST", "reset").status, 200);
    EXPECT_TRUE(recorded().empty());
    EXPECT_EQ(control("GET", "accounts").json()["accounts"].size(), 1u);
    EXPECT_EQ(postAs(turnBody()).status, 200);
}

TEST_F(ControlApiTest, RecordingKeepsSelectedHeadersButNoSecrets) {
    startWith(kScript);
    auto body = turnBody("PROMPT-THAT-MUST-NOT-BE-RECORDED");
    const auto reply = postResponses(body, "acct-a", "tok-secret-a",
                                     {{"originator", "codex_exec"},
                                      {"session-id", "thread-42"},
                                      {"x-codex-window-id", "thread-42:0"},
                                      {"version", "0.169.0"},
                                      {"Cookie", "cookie-secret"}});
    ASSERT_EQ(reply.status, 200);
    const auto records = recorded();
    ASSERT_EQ(records.size(), 1u);
    const auto& record = records[0];
    EXPECT_EQ(record["account_id"], "acct-a");
    EXPECT_EQ(record["method"], "POST");
    EXPECT_EQ(record["path"], "/backend-api/codex/responses");
    EXPECT_EQ(record["model"], "gpt-5.5");
    EXPECT_EQ(record["input_items"], 2);
    EXPECT_EQ(record["headers"]["originator"], "codex_exec");
    EXPECT_EQ(record["headers"]["session-id"], "thread-42");
    EXPECT_EQ(record["headers"]["x-codex-window-id"], "thread-42:0");
    EXPECT_EQ(record["headers"]["version"], "0.169.0");
    EXPECT_EQ(record["headers"]["chatgpt-account-id"], "acct-a");
    const auto dump = nlohmann::json(records).dump();
    for (const char* secret : {"tok-secret-a", "PROMPT-THAT-MUST", "cookie-secret", "Bearer"}) {
        EXPECT_EQ(dump.find(secret), std::string::npos) << secret;
    }
    EXPECT_FALSE(record["headers"].contains("authorization"));
}

TEST_F(ControlApiTest, RecordingCanBeFilteredAndCleared) {
    startWith(kScript);
    EXPECT_EQ(postAs(turnBody()).status, 200);
    EXPECT_EQ(postAs(turnBody(), "acct-x", "tok-x").status, 401);
    EXPECT_EQ(recorded().size(), 2u);
    EXPECT_EQ(recorded("acct-a").size(), 1u);
    EXPECT_EQ(recorded()[1]["outcome"], "unauthenticated");
    ASSERT_EQ(control("DELETE", "requests").status, 200);
    EXPECT_TRUE(recorded().empty());
}

}  // namespace
}  // namespace sluice::emulator::testing
