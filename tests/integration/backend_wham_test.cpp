// The WHAM task API through route-backend against the emulator's two accounts: tasks stay on
// the account that owns them, and a list over both accounts pages without loss or repeats.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "tests/integration/backend_test_support.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;

std::string newTask(const std::string& text) {
    return json{{"new_task", {{"environment_id", "env-example-1"}, {"branch", "main"}}},
                {"input_items",
                 {{{"type", "message"},
                   {"role", "user"},
                   {"content", {{{"content_type", "text"}, {"text", text}}}}}}}}
        .dump();
}

std::string createTask(GatewayHarness& harness, const std::string& text) {
    const HttpReply created = harness.request("POST", "/backend-api/wham/tasks", newTask(text));
    EXPECT_EQ(created.status, 200) << created.body;
    return jsonOf(created)["task"]["id"].get<std::string>();
}

struct StreamEvent {
    std::string name;
    json data;
};

// The events of an SSE body, in order; keepalive comments are not events.
std::vector<StreamEvent> eventsOf(const std::string& body) {
    std::vector<StreamEvent> events;
    std::size_t start = 0;
    while (start < body.size()) {
        std::size_t end = body.find("\n\n", start);
        end = end == std::string::npos ? body.size() : end;
        StreamEvent event;
        std::istringstream lines(body.substr(start, end - start));
        bool any = false;
        for (std::string line; std::getline(lines, line);) {
            if (line.rfind("event: ", 0) == 0) {
                event.name = line.substr(7);
                any = true;
            } else if (line.rfind("data: ", 0) == 0) {
                event.data = json::parse(line.substr(6), nullptr, false);
                any = true;
            }
        }
        if (any) {
            events.push_back(std::move(event));
        }
        start = end + 2;
    }
    return events;
}

const std::vector<std::string> kEveryItemType{"task_turn_event", "work_log_message", "log",
                                              "task_title_generated"};

// What the emulator streams for a turn, one event per item type asked for, in its order.
void expectTurnEvents(const HttpReply& stream, const std::string& task, const std::string& turn,
                      const std::vector<std::string>& item_types) {
    EXPECT_EQ(stream.status, 200) << stream.body;
    EXPECT_NE(stream.header("Content-Type").find("text/event-stream"), std::string::npos);
    const std::vector<StreamEvent> events = eventsOf(stream.body);
    ASSERT_EQ(events.size(), item_types.size()) << stream.body;
    for (std::size_t i = 0; i < events.size(); ++i) {
        EXPECT_EQ(events[i].name, item_types[i]) << stream.body;
        EXPECT_EQ(events[i].data["item_type"], item_types[i]);
        const auto ordinal =
            std::find(kEveryItemType.begin(), kEveryItemType.end(), item_types[i]) -
            kEveryItemType.begin();
        EXPECT_EQ(events[i].data["id"], turn + "~event" + std::to_string(ordinal + 1))
            << "ids name the item";
        EXPECT_TRUE(events[i].data["timestamp"].is_number());
        EXPECT_EQ(events[i].data["payload"], (json{{"task_id", task}, {"turn_id", turn}}));
    }
}

TEST(BackendWhamTest, ATaskCreatedOnAnAccountIsReadBackFromIt) {
    GatewayHarness harness(backendOptions());
    const std::string id = createTask(harness, "fix the flaky test");
    const auto creator = accountsAt(harness, "/backend-api/wham/tasks");
    ASSERT_EQ(creator.size(), 1U);

    for (const std::string prefix :
         {"/backend-api/wham", "/wham", "/api/codex", "/backend-api/wham"}) {
        const HttpReply read = harness.request("GET", prefix + "/tasks/" + id);
        ASSERT_EQ(read.status, 200) << prefix << " " << read.body;
        EXPECT_EQ(jsonOf(read)["task"]["id"], id);
        EXPECT_EQ(jsonOf(read)["task"]["title"], "fix the flaky test");
    }
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham/tasks/" + id),
              std::vector<std::string>(4, creator[0]))
        << "every read went to the creating account, without probing the other";

    const json turns = jsonOf(harness.request("GET", "/backend-api/wham/tasks/" + id + "/turns"));
    const std::string turn = turns["current_turn_id"];
    const std::string stream_path = "/backend-api/wham/tasks/" + id + "/turns/" + turn + "/stream";
    expectTurnEvents(harness.request("POST", stream_path), id, turn, kEveryItemType);
    // The client picks the item types in the query, which reaches the upstream as sent.
    expectTurnEvents(
        harness.request("POST", stream_path + "?item_type=log&item_type=task_turn_event"), id, turn,
        {"task_turn_event", "log"});
    const HttpReply archived =
        harness.request("POST", "/backend-api/wham/tasks/" + id + "/archive", "{}");
    EXPECT_EQ(jsonOf(archived)["success"], true);
    for (const auto& account :
         accountsAt(harness, "/backend-api/wham/tasks/" + id + "/turns/" + turn + "/stream")) {
        EXPECT_EQ(account, creator[0]);
    }
}

TEST(BackendWhamTest, TurnStreamsEndCleanlyAndLeaveTheirAccountHealthy) {
    HarnessOptions options = backendOptions();
    options.plugins.push_back("route-admin");
    options.extra_routes.push_back("{ family: admin }");
    GatewayHarness harness(options);
    const std::string admin = harness.issueOperatorToken(sdk::OperatorTokenKind::Admin, "ops");
    const std::string id = createTask(harness, "stream me");
    const std::string turn = jsonOf(
        harness.request("GET", "/backend-api/wham/tasks/" + id + "/turns"))["current_turn_id"];

    for (int i = 0; i < 20; ++i) {
        SCOPED_TRACE("stream " + std::to_string(i));
        const HttpReply stream =
            harness.request("POST", "/backend-api/wham/tasks/" + id + "/turns/" + turn + "/stream");
        ASSERT_EQ(stream.status, 200) << stream.body;
        expectTurnEvents(stream, id, turn, kEveryItemType);
    }
    const HttpReply accounts = harness.request("GET", "/admin/api/v1/accounts", "",
                                               {{"Authorization", "Bearer " + admin}}, false);
    ASSERT_EQ(accounts.status, 200) << accounts.body;
    std::size_t circuits = 0;
    const json listed = jsonOf(accounts);
    for (const json& account : listed["accounts"]) {
        EXPECT_EQ(account["condition"], "ready") << account.dump();
        for (const json& circuit : account["circuits"]) {
            EXPECT_EQ(circuit["state"], "closed") << account.dump();
            ++circuits;
        }
    }
    EXPECT_GT(circuits, 0U) << "the streams were judged by a circuit";
    EXPECT_EQ(harness.metric("sluice_dispatch_attempts_total", "end=\"interrupted\""), 0);
}

TEST(BackendWhamTest, ATaskTheGatewayNeverSawIsFoundOnItsAccount) {
    GatewayHarness harness(backendOptions());
    // Each emulated account owns one task from the start; the gateway learns where by asking.
    const HttpReply read = harness.request("GET", "/backend-api/wham/tasks/task_e_acct_b");
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(jsonOf(read)["task"]["id"], "task_e_acct_b");
    const HttpReply logs = harness.request("GET", "/wham/tasks/task_e_acct_b/logs");
    EXPECT_EQ(logs.status, 200);
    EXPECT_EQ(accountsAt(harness, "/wham/tasks/task_e_acct_b/logs").size(), 0U)
        << "upstream is always /backend-api";
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham/tasks/task_e_acct_b/logs"),
              std::vector<std::string>{"acct-b"});
    const HttpReply missing = harness.request("GET", "/backend-api/wham/tasks/task_e_nobody");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(jsonOf(missing)["error"]["code"], "task_not_found");
}

TEST(BackendWhamTest, AListOverTwoAccountsPagesWithoutLossOrRepeats) {
    GatewayHarness harness(backendOptions());
    std::set<std::string> expected{"task_e_acct_a", "task_e_acct_b"};
    for (int i = 0; i < 7; ++i) {
        expected.insert(createTask(harness, "task " + std::to_string(i)));
    }
    std::set<std::string> creators;
    for (const auto& account : accountsAt(harness, "/backend-api/wham/tasks")) {
        creators.insert(account);
    }
    ASSERT_EQ(creators.size(), 2U) << "round robin spreads the tasks over both accounts";

    std::vector<std::string> seen;
    std::set<std::string> pages_from;
    double previous = 1e300;
    std::string cursor;
    for (int page = 0; page < 20; ++page) {
        const std::string query =
            "?limit=2&task_filter=current" + (cursor.empty() ? "" : "&cursor=" + cursor);
        const HttpReply reply = harness.request("GET", "/backend-api/wham/tasks/list" + query);
        ASSERT_EQ(reply.status, 200) << reply.body;
        const json body = jsonOf(reply);
        ASSERT_LE(body["items"].size(), 2U);
        for (const json& item : body["items"]) {
            seen.push_back(item["id"]);
            EXPECT_LE(item["updated_at"].get<double>(), previous) << "newest first across accounts";
            previous = item["updated_at"].get<double>();
        }
        if (body["cursor"].is_null()) {
            break;
        }
        cursor = body["cursor"];
    }
    EXPECT_EQ(seen.size(), expected.size()) << "no repeats";
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected) << "no loss";
    for (const auto& record : harness.recordedAt("/backend-api/wham/tasks/list")) {
        pages_from.insert(record.account_id);
    }
    EXPECT_EQ(pages_from.size(), 2U);

    // Every listed task is now known: reading one goes straight to its account.
    harness.emulatorControl("DELETE", "requests");
    EXPECT_EQ(harness.request("GET", "/backend-api/wham/tasks/task_e_acct_a").status, 200);
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham/tasks/task_e_acct_a"),
              std::vector<std::string>{"acct-a"});

    const HttpReply feed = harness.request("GET", "/api/codex/tasks?limit=3");
    ASSERT_EQ(feed.status, 200);
    EXPECT_EQ(jsonOf(feed)["items"].size(), 3U);
    EXPECT_TRUE(jsonOf(feed)["items"][0].contains("turn"));
    EXPECT_EQ(harness.request("GET", "/backend-api/wham/tasks/list?cursor=%2BRID%3Aforged").status,
              400);
}

TEST(BackendWhamTest, EnvironmentsMergeAndTheirBodiesStayOutOfTheLogs) {
    GatewayHarness harness(backendOptions());
    const HttpReply listed = harness.request("GET", "/backend-api/wham/environments");
    ASSERT_EQ(listed.status, 200) << listed.body;
    std::set<std::string> ids;
    for (const json& environment : jsonOf(listed)) {
        EXPECT_TRUE(ids.insert(environment["id"].get<std::string>()).second)
            << "a shared environment appears once";
    }
    ASSERT_FALSE(ids.empty());
    EXPECT_EQ(accountsAt(harness, "/backend-api/wham/environments").size(), 2U);
    const std::string id = *ids.begin();
    EXPECT_EQ(jsonOf(harness.request("GET", "/wham/environments/" + id))["id"], id);
    EXPECT_EQ(harness.request("DELETE", "/api/codex/environments/" + id).status, 204);
    EXPECT_EQ(
        jsonOf(harness.request("GET", "/backend-api/wham/settings/user")).contains("branch_format"),
        true);
    EXPECT_EQ(harness.request("GET", "/backend-api/wham/environments/env-nowhere").status, 404);

    const std::string log = harness.gatewayLog();
    for (const char* secret : {"CODEX_ENV_PYTHON_VERSION", "setup stub", "emulated log line"}) {
        EXPECT_EQ(log.find(secret), std::string::npos) << secret;
    }
    for (const auto& row : harness.requestLogsAtLeast(1)) {
        EXPECT_EQ(row.routing_json.find("CODEX_ENV"), std::string::npos);
    }
}

}  // namespace
}  // namespace sluice::integration
