// The seed-000/004 WHAM routes besides tasks and environments through route-backend against the
// emulator's two accounts: each reaches its upstream path on the right account, the pool's
// settings stay on one account, and the task quota is the pool's.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "tests/integration/backend_test_support.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

constexpr const char* kSpellings[] = {"/backend-api/wham", "/wham", "/api/codex"};

std::string createTask(GatewayHarness& harness) {
    const json body{{"new_task", {{"environment_id", "env-example-1"}, {"branch", "main"}}},
                    {"input_items", json::array()}};
    const HttpReply created = harness.request("POST", "/backend-api/wham/tasks", body.dump());
    EXPECT_EQ(created.status, 200) << created.body;
    return jsonOf(created)["task"]["id"].get<std::string>();
}

TEST(BackendWhamRoutesTest, AgentIdentityKeysResetCreditsAndFeedbackAreProxied) {
    GatewayHarness harness(backendOptions());
    for (const std::string prefix : kSpellings) {
        const HttpReply keys = harness.request("GET", prefix + "/agent-identities/jwks");
        ASSERT_EQ(keys.status, 200) << prefix << " " << keys.body;
        EXPECT_EQ(jsonOf(keys)["keys"][0]["kty"], "OKP");
        const HttpReply credits = harness.request("GET", prefix + "/rate-limit-reset-credits");
        ASSERT_EQ(credits.status, 200) << prefix << " " << credits.body;
        EXPECT_TRUE(jsonOf(credits).contains("available_count"));
        const HttpReply feedback =
            harness.request("POST", prefix + "/feedback", R"({"rating":"good"})");
        EXPECT_EQ(feedback.status, 200) << prefix << " " << feedback.body;
    }
    for (const char* route : {"agent-identities/jwks", "rate-limit-reset-credits", "feedback"}) {
        EXPECT_EQ(accountsAt(harness, std::string("/backend-api/wham/") + route).size(), 3U)
            << route;
    }
}

TEST(BackendWhamRoutesTest, AnEnvironmentTestStreamsItsEvents) {
    GatewayHarness harness(backendOptions());
    const HttpReply stream =
        harness.request("POST", "/backend-api/wham/environments/test", R"({"label":"x"})");
    ASSERT_EQ(stream.status, 200) << stream.body;
    EXPECT_NE(stream.header("Content-Type").find("text/event-stream"), std::string::npos);
    EXPECT_NE(stream.body.find("\"status\":\"provisioning\""), std::string::npos) << stream.body;
    EXPECT_NE(stream.body.find("\"status\":\"succeeded\""), std::string::npos) << stream.body;
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham/environments/test").size(), 1U);
}

TEST(BackendWhamRoutesTest, SpeculativeTurnsGoToTheTasksAccount) {
    GatewayHarness harness(backendOptions());
    const std::string id = createTask(harness);
    const auto creator = accountsAt(harness, "/backend-api/wham/tasks");
    ASSERT_EQ(creator.size(), 1U);
    const std::string turn = jsonOf(
        harness.request("GET", "/backend-api/wham/tasks/" + id + "/turns"))["current_turn_id"];
    const std::string base = "/tasks/" + id + "/speculative_turns/" + turn;
    for (const std::string prefix : kSpellings) {
        const HttpReply detail = harness.request("GET", prefix + base);
        ASSERT_EQ(detail.status, 200) << prefix << " " << detail.body;
        EXPECT_TRUE(jsonOf(detail).contains("turn"));
        EXPECT_EQ(harness.request("GET", prefix + base + "/view").status, 200) << prefix;
    }
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham" + base),
              std::vector<std::string>(3, creator[0]));
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham" + base + "/view"),
              std::vector<std::string>(3, creator[0]));
}

TEST(BackendWhamRoutesTest, TheCodexEnvironmentRoutesMergeAndFollowTheEnvironment) {
    GatewayHarness harness(backendOptions());
    const HttpReply listed = harness.request("GET", "/backend-api/codex/environments");
    ASSERT_EQ(listed.status, 200) << listed.body;
    std::set<std::string> ids;
    for (const json& environment : jsonOf(listed)) {
        EXPECT_TRUE(ids.insert(environment["id"].get<std::string>()).second)
            << "each environment once";
    }
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(accountsAt(harness, "/backend-api/codex/environments").size(), 2U)
        << "every account's list";

    const std::string id = *ids.begin();
    const HttpReply repos =
        harness.request("GET", "/backend-api/codex/environments/" + id + "/repos");
    ASSERT_EQ(repos.status, 200) << repos.body;
    EXPECT_EQ(jsonOf(repos)[0]["repository_full_name"], "sample-org/sample-app");
    EXPECT_EQ(accountsAt(harness, "/backend-api/codex/environments/" + id + "/repos").size(), 1U);
    const HttpReply missing =
        harness.request("GET", "/backend-api/codex/environments/env-nowhere/repos");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(jsonOf(missing)["error"]["code"], "environment_not_found");
}

TEST(BackendWhamRoutesTest, UserSettingsStayOnOneAccountWhateverTheSession) {
    GatewayHarness harness(backendOptions());
    const HttpReply patched = harness.request("PATCH", "/backend-api/wham/settings/user",
                                              R"({"branch_format":"sluice/{feature}"})");
    ASSERT_EQ(patched.status, 200) << patched.body;
    for (int i = 0; i < 4; ++i) {
        const sdk::Headers session{{"session-id", "thread-" + std::to_string(i)}};
        const HttpReply read =
            harness.request("GET", std::string(kSpellings[i % 3]) + "/settings/user", "",
                            i % 2 == 0 ? sdk::Headers{} : session);
        ASSERT_EQ(read.status, 200) << read.body;
        EXPECT_EQ(jsonOf(read)["branch_format"], "sluice/{feature}")
            << "read " << i << " sees the PATCH";
    }
    const auto accounts = accountsAt(harness, "/backend-api/wham/settings/user");
    EXPECT_EQ(std::set<std::string>(accounts.begin(), accounts.end()).size(), 1U);
}

TEST(BackendWhamRoutesTest, TheTaskQuotaIsThePoolsView) {
    GatewayHarness harness(backendOptions());
    for (int i = 0; i < 3; ++i) {
        createTask(harness);
    }
    std::map<std::string, int> created;
    for (const auto& account : accountsAt(harness, "/backend-api/wham/tasks")) {
        ++created[account];
    }
    ASSERT_EQ(created.size(), 2U);
    const int fewest = std::min(created["acct-a"], created["acct-b"]);
    for (const std::string prefix :
         {"/backend-api/wham", "/wham", "/api/codex", "/backend-api/wham"}) {
        const HttpReply reply = harness.request("GET", prefix + "/tasks/rate_limit");
        ASSERT_EQ(reply.status, 200) << reply.body;
        const json quota = jsonOf(reply);
        EXPECT_EQ(quota["remaining"], 58 - fewest)
            << prefix << ": the account with the most tasks left";
        EXPECT_EQ(quota["windows"][0]["remaining"], 58 - fewest);
        EXPECT_EQ(quota["allowed"], true);
        EXPECT_EQ(quota["limit_reached"], false);
    }
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham/tasks/rate_limit").size(), 8U)
        << "both accounts, each time";
}

}  // namespace
}  // namespace sluice::integration
