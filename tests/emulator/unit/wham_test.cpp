#include <gtest/gtest.h>

#include "tests/emulator/unit/emulator_fixture.hpp"

namespace sluice::emulator::testing {
namespace {

constexpr const char* kWhamScript = R"(
accounts:
  - { id: acct-a, access_token: tok-a, plan_type: pro }
  - { id: acct-b, access_token: tok-b }
)";

class WhamTest : public EmulatorTest {};

TEST_F(WhamTest, TasksArePerAccount) {
    startWith(kWhamScript);
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
    startWith(kWhamScript);
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

TEST_F(WhamTest, CreatedTasksAreListedNewestFirstInPages) {
    startWith(kWhamScript);
    HttpCall create{"POST", "/backend-api/wham/tasks"};
    create.headers = {{"Authorization", "Bearer tok-a"}, {"chatgpt-account-id", "acct-a"}};
    create.body =
        R"({"new_task":{"environment_id":"env-1"},"input_items":[{"type":"message","role":"user",)"
        R"("content":[{"content_type":"text","text":"first"}]}]})";
    const auto first = call(create).json()["task"];
    EXPECT_EQ(first["title"], "first");
    const auto second = call(create).json()["task"]["id"].get<std::string>();
    EXPECT_EQ(get("/wham/tasks/" + second).json()["task"]["id"], second);
    EXPECT_EQ(get("/wham/tasks/" + second, "acct-b", "tok-b").status, 404);

    const auto page1 = get("/backend-api/wham/tasks/list?limit=2").json();
    ASSERT_EQ(page1["items"].size(), 2u);
    EXPECT_EQ(page1["items"][0]["id"], second);
    EXPECT_EQ(page1["items"][1]["id"], first["id"]);
    // "+RID:...#RT:2" travels percent-encoded, as clients send it.
    std::string cursor;
    for (const char c : page1["cursor"].get<std::string>())
        cursor += c == '+' ? "%2B" : c == '#' ? "%23" : std::string(1, c);
    const auto page2 = get("/backend-api/wham/tasks/list?limit=2&cursor=" + cursor).json();
    ASSERT_EQ(page2["items"].size(), 1u);
    EXPECT_EQ(page2["items"][0]["id"], "task_e_acct_a");
    EXPECT_TRUE(page2["cursor"].is_null());
    EXPECT_EQ(get("/backend-api/wham/tasks/list?cursor=" + cursor, "acct-b", "tok-b").status, 404)
        << "cursors belong to their account";
    EXPECT_EQ(get("/backend-api/wham/tasks?limit=1").json()["items"][0]["task"]["id"], second);
}

TEST_F(WhamTest, TurnStreamsAreServerSentEvents) {
    startWith(kWhamScript);
    HttpCall stream{"POST", "/backend-api/wham/tasks/task_e_acct_a/turns/turn-1/stream"};
    stream.headers = {{"Authorization", "Bearer tok-a"}, {"chatgpt-account-id", "acct-a"}};
    const auto reply = call(stream);
    ASSERT_EQ(reply.status, 200);
    const auto events = parseSse(reply.body);
    ASSERT_EQ(events.size(), 4u);
    EXPECT_EQ(events[0]["item_type"], "task_turn_event");
    EXPECT_EQ(events[3]["item_type"], "task_title_generated");
    EXPECT_EQ(get("/backend-api/wham/tasks/task_e_acct_a/logs").json()["logs"].size(), 1u);

    // Repeated item_type parameters choose the item types; order and ids stay the stream's.
    stream.path += "?item_type=log&item_type=task_turn_event";
    const auto chosen = parseSse(call(stream).body);
    ASSERT_EQ(chosen.size(), 2u);
    EXPECT_EQ(chosen[0]["item_type"], "task_turn_event");
    EXPECT_EQ(chosen[0]["id"], "turn-1~event1");
    EXPECT_EQ(chosen[1]["item_type"], "log");
    EXPECT_EQ(chosen[1]["id"], "turn-1~event3");
}

}  // namespace
}  // namespace sluice::emulator::testing
