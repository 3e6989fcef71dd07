#include <gtest/gtest.h>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kScript = R"(
accounts:
  - { id: acct-a, access_token: tok-a, plan_type: pro }
  - { id: acct-b, access_token: tok-b }
)";

class WhamTest : public EmulatorTest {};

TEST_F(WhamTest, TasksArePerAccount) {
    startWith(kScript);
    const auto list_a = get("/backend-api/wham/tasks/list?limit=20&task_filter=current").json();
    const auto list_b = get("/backend-api/wham/tasks/list", "acct-b", "tok-b").json();
    const auto task_a = list_a["items"][0]["id"].get<std::string>();
    const auto task_b = list_b["items"][0]["id"].get<std::string>();
    EXPECT_EQ(task_a, "task_e_acct_a");
    EXPECT_NE(task_a, task_b);

    const auto bundle = get("/backend-api/wham/tasks/" + task_a);
    ASSERT_EQ(bundle.status, 200);
    EXPECT_EQ(bundle.json()["task"]["id"], task_a);
    // Task ids are not portable: another account does not know this task.
    EXPECT_EQ(get("/backend-api/wham/tasks/" + task_a, "acct-b", "tok-b").status, 404);

    const auto turns = get("/backend-api/wham/tasks/" + task_a + "/turns").json();
    const auto current = turns["current_turn_id"].get<std::string>();
    EXPECT_TRUE(turns["turn_mapping"].contains(current));
    EXPECT_EQ(get("/backend-api/wham/tasks/" + task_a + "/turns/" + current).json()["turn"]["id"],
              current);
}

TEST_F(WhamTest, OtherResourcesAndPathStyles) {
    startWith(kScript);
    const auto environments = get("/backend-api/wham/environments");
    ASSERT_EQ(environments.status, 200);
    ASSERT_TRUE(environments.json().is_array());
    const auto id = environments.json()[0]["id"].get<std::string>();
    EXPECT_EQ(get("/api/codex/environments/" + id).json()["id"], id);
    EXPECT_TRUE(get("/wham/environments/by-repo/github/nobody/nothing").json().empty());
    EXPECT_EQ(get("/wham/environments/by-repo/github/sample-org/sample-app").json().size(), 1u);
    EXPECT_EQ(get("/backend-api/wham/tasks/rate_limit").json()["user_plan_type"], "pro");
    EXPECT_TRUE(get("/backend-api/wham/settings/user").json().contains("branch_format"));
    EXPECT_TRUE(get("/backend-api/wham/machines").json().is_array());
    EXPECT_EQ(get("/backend-api/wham/nothing/here").status, 404);
    EXPECT_EQ(get("/backend-api/wham/environments", "acct-a", "tok-b").status, 401);

    HttpCall archive{"POST", "/backend-api/wham/tasks/task_e_acct_a/archive"};
    archive.headers = {{"Authorization", "Bearer tok-a"}, {"chatgpt-account-id", "acct-a"}};
    EXPECT_EQ(call(archive).json()["success"], true);
}

}  // namespace
}  // namespace sluice::emulator::testing
