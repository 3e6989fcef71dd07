// ProjectService with every real part (store, hub, supervisor pool, event log) over the memory
// storage backend and the fake app-server's small Codex.
#include "project_service.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "plugins/storage-memory/memory_factory.hpp"
#include "sluice/sdk/testing/fake_config.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"
#include "token_ledger.hpp"

namespace sluice::plugins::route_appserver {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr const char* kOwner = "sk-sluice-owner1";
constexpr const char* kStranger = "sk-sluice-other2";

AppServerConfig configIn(const fs::path& dir) {
    AppServerConfig config;
    config.codex_command = SLUICE_FAKE_APP_SERVER;
    config.projects_root = (dir / "projects").string();
    config.state_root = (dir / "homes").string();
    config.codex_mount = "/backend-api/codex";
    config.defaults = {"gpt-5.5", "medium", "untrusted", "workspace-write"};
    config.max_processes = 4;
    config.request_timeout = 5s;
    config.start_timeout = 5s;
    config.restart_backoff = 50ms;
    config.max_restart_backoff = 200ms;
    config.overload_retries = 1;
    config.overload_backoff = 10ms;
    config.credential_ttl = std::chrono::hours(1);
    config.event_buffer = 256;
    config.keepalive = 1s;
    config.max_file_bytes = 1024;
    config.max_tree_entries = 100;
    config.max_tree_depth = 4;
    return config;
}

/// What the family wires together, rebuilt by restart() over the same storage and state as a
/// gateway restart would.
struct Gateway {
    Gateway(const AppServerConfig& config, sdk::ProjectRepository& repository,
            sdk::HostServices& host)
        : store(repository),
          hub(store, events, requests, host),
          servers(
              config,
              [](const std::string& owner, std::chrono::seconds) -> sdk::Result<std::string> {
                  return "delegated-" + owner;
              },
              []() -> sdk::Result<std::string> { return std::string("http://127.0.0.1:9"); }, hub),
          service(config, store, servers, hub, requests, host) {
        hub.failOrphanedTurns();
    }
    ~Gateway() { hub.shutdown(); }

    EventLog events{256};
    ServerRequests requests;
    ProjectStore store;
    ProjectHub hub;
    AppServerPool servers;
    ProjectService service;
};

class ProjectServiceTest : public ::testing::Test {
protected:
    ProjectServiceTest()
        : config_(configIn(temp_.path())),
          backend_(storage_memory::MemoryBackendFactory().create(*sdk::testing::FakeConfig::map({}),
                                                                 host_)),
          repository_(dynamic_cast<sdk::StoresProjects&>(*backend_).projects()) {
        restart();
    }

    void restart() {
        gateway_.reset();
        gateway_ = std::make_unique<Gateway>(config_, repository_, host_);
    }
    ProjectService& service() { return gateway_->service; }

    static json ok(const Reply& reply) {
        EXPECT_FALSE(isError(reply)) << std::get<sdk::ErrorInfo>(reply).message;
        return isError(reply) ? json() : std::get<json>(reply);
    }
    static int status(const Reply& reply) {
        return isError(reply) ? std::get<sdk::ErrorInfo>(reply).http_status : 200;
    }
    std::string createProject(const std::string& owner = kOwner) {
        return ok(service().create(
            owner, {{"name", "Landing Page Builder"}, {"ownerId", "user_123"}}))["project"]["id"];
    }
    /// Waits until the project has ended `turns` turns.
    void waitForTurns(const std::string& id, std::uint64_t turns) {
        for (int i = 0; i < 500 && gateway_->store.get(id)->turns < turns; ++i) {
            std::this_thread::sleep_for(10ms);
        }
        ASSERT_EQ(gateway_->store.get(id)->turns, turns);
    }
    std::vector<LoggedEvent> events(const std::string& name) {
        return gateway_->events.after(
            0, [&](const LoggedEvent& event) { return event.name == name; }, 100, 0ms);
    }

    sdk::testing::TempDirectory temp_;
    sdk::testing::FakeHost host_;
    AppServerConfig config_;
    sdk::StorageBackendPtr backend_;
    sdk::ProjectRepository& repository_;
    std::unique_ptr<Gateway> gateway_;
};

TEST_F(ProjectServiceTest, ProjectsBelongToTheirKeyAndAreInvisibleToOthers) {
    const std::string id = createProject();
    const json project = ok(service().get(kOwner, id))["project"];
    EXPECT_EQ(project["name"], "Landing Page Builder");
    EXPECT_EQ(project["ownerId"], "user_123");
    EXPECT_TRUE(fs::is_directory(project["cwd"].get<std::string>()));
    EXPECT_EQ(fs::path(project["cwd"].get<std::string>()).parent_path().filename(), kOwner);
    EXPECT_EQ(ok(service().list(kOwner))["data"].size(), 1U);
    EXPECT_EQ(ok(service().list(kStranger))["data"].size(), 0U);
    EXPECT_EQ(status(service().get(kStranger, id)), 404);
    EXPECT_EQ(status(service().open(kStranger, id, json::object())), 404);
    EXPECT_EQ(status(service().startTurn(kStranger, id, {{"prompt", "hi"}})), 404);
    EXPECT_EQ(status(service().approvals(kStranger, id)), 404);
    EXPECT_TRUE(std::holds_alternative<sdk::ErrorInfo>(service().files(kStranger, id)));
}

TEST_F(ProjectServiceTest, BadCreationsAre400) {
    EXPECT_EQ(status(service().create(kOwner, json::object())), 400);
    EXPECT_EQ(status(service().create(kOwner, {{"name", 3}})), 400);
    EXPECT_EQ(status(service().create(kOwner, {{"name", "x"}, {"template", "react"}})), 400);
    EXPECT_EQ(status(service().create(kOwner, {{"name", "x"}, {"template", "../etc"}})), 400);
}

TEST_F(ProjectServiceTest, TemplatesAreCopiedIntoTheWorkspace) {
    config_.templates_root = (temp_.path() / "templates").string();
    fs::create_directories(temp_.path() / "templates/react/src");
    std::ofstream(temp_.path() / "templates/react/src/App.jsx") << "export default 1;\n";
    restart();
    const json project =
        ok(service().create(kOwner, {{"name", "x"}, {"template", "react"}}))["project"];
    EXPECT_TRUE(fs::exists(fs::path(project["cwd"].get<std::string>()) / "src/App.jsx"));
}

TEST_F(ProjectServiceTest, OpenStartsAThreadThenResumesItAfterAppServerAndGatewayRestarts) {
    const std::string id = createProject();
    const json first = ok(service().open(kOwner, id, json::object()));
    const std::string thread = first["threadId"];
    EXPECT_FALSE(first["resumed"].get<bool>());
    EXPECT_TRUE(first["thread"].contains("thread"));
    EXPECT_EQ(ok(service().open(kOwner, id, json::object()))["threadId"], thread);

    gateway_->servers.find(kOwner)->stop();
    const json reopened = ok(service().open(kOwner, id, json::object()));
    EXPECT_EQ(reopened["threadId"], thread);
    EXPECT_TRUE(reopened["resumed"].get<bool>());

    restart();
    EXPECT_EQ(ok(service().open(kOwner, id, json::object()))["threadId"], thread);
}

TEST_F(ProjectServiceTest, TurnsAreAccountedOnceAcrossDuplicatesAndResumes) {
    const std::string id = createProject();
    const json turn = ok(service().open(kOwner, id, {{"prompt", "hello"}}));
    EXPECT_TRUE(turn["turnId"].is_string());
    waitForTurns(id, 1);
    EXPECT_EQ(gateway_->store.get(id)->accounted_total.input_tokens, 100U);

    restart();  // a new process resumes the thread and re-reports its total
    ok(service().open(kOwner, id, json::object()));
    ok(service().startTurn(kOwner, id, {{"prompt", "again"}}));
    waitForTurns(id, 2);
    const auto project = gateway_->store.get(id);
    EXPECT_EQ(project->accounted_total.input_tokens, 200U);
    EXPECT_EQ(project->accounted_total.output_tokens, 20U);
    EXPECT_EQ(ok(service().get(kOwner, id))["project"]["usage"]["inputTokens"], 200);
    EXPECT_EQ(host_.counterValue("sluice_appserver_turns_total", {{"outcome", "completed"}}), 2U);
}

TEST_F(ProjectServiceTest, ApprovalsAreListedStreamedAndAnEmptyResolveAccepts) {
    const std::string id = createProject();
    const json turn = ok(service().startTurn(kOwner, id, {{"prompt", "please approve this"}}));
    json pending;
    for (int i = 0; i < 500 && pending.empty(); ++i) {
        const json listed = ok(service().approvals(kOwner, id))["data"];
        pending = listed.empty() ? json() : listed[0];
        std::this_thread::sleep_for(10ms);
    }
    ASSERT_FALSE(pending.is_null());
    EXPECT_EQ(pending["method"], "item/commandExecution/requestApproval");
    EXPECT_EQ(pending["turnId"], turn["turnId"]);
    const auto streamed = events("serverRequest");
    ASSERT_EQ(streamed.size(), 1U);
    EXPECT_EQ(json::parse(streamed[0].data)["requestId"], pending["requestId"]);

    const std::string request = pending["requestId"];
    EXPECT_EQ(status(service().resolve(kStranger, id, request, json::object())), 404);
    const json resolved = ok(service().resolve(kOwner, id, request, json::object()));
    EXPECT_EQ(resolved["result"], (json{{"decision", "accept"}}));
    waitForTurns(id, 1);
    EXPECT_EQ(ok(service().approvals(kOwner, id))["data"].size(), 0U);
    EXPECT_EQ(status(service().resolve(kOwner, id, request, json::object())), 404);
}

TEST_F(ProjectServiceTest, InterruptEndsARunningTurnAndStateShowsIt) {
    const std::string id = createProject();
    const json turn = ok(service().startTurn(kOwner, id, {{"prompt", "slow work"}}));
    const std::string turn_id = turn["turnId"];
    for (int i = 0; i < 500 && !gateway_->hub.runningTurn(kOwner, turn["threadId"]); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(ok(service().state(kOwner, id, false))["activeTurnId"], turn_id);
    ok(service().interrupt(kOwner, id, turn_id));
    waitForTurns(id, 1);
    const json state = ok(service().state(kOwner, id, true));
    EXPECT_EQ(state["thread"]["turns"][0]["status"], "interrupted");
    EXPECT_TRUE(state["activeTurnId"].is_null());
    EXPECT_EQ(status(service().interrupt(kOwner, id, turn_id)), 409);
}

TEST_F(ProjectServiceTest, AKilledAppServerFailsTheRunningTurnAndTheThreadResumes) {
    const std::string id = createProject();
    const json turn = ok(service().startTurn(kOwner, id, {{"prompt", "slow work"}}));
    for (int i = 0; i < 500 && !gateway_->hub.runningTurn(kOwner, turn["threadId"]); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    const pid_t pid = gateway_->servers.find(kOwner)->status()["pid"].get<pid_t>();
    ::kill(pid, SIGKILL);
    waitForTurns(id, 1);
    const auto ended = events("turn/completed");
    ASSERT_EQ(ended.size(), 1U);
    EXPECT_EQ(json::parse(ended[0].data)["params"]["turn"]["status"], "failed");
    EXPECT_EQ(host_.counterValue("sluice_appserver_turns_total", {{"outcome", "failed"}}), 1U);
    EXPECT_EQ(host_.counterValue("sluice_appserver_restarts_total"), 1U);
    EXPECT_EQ(ok(service().open(kOwner, id, json::object()))["threadId"], turn["threadId"]);
}

TEST_F(ProjectServiceTest, ATurnRunningWhenTheGatewayStoppedIsReportedFailedAtTheNextStart) {
    const std::string id = createProject();
    const json turn = ok(service().startTurn(kOwner, id, {{"prompt", "slow work"}}));
    for (int i = 0; i < 500 && gateway_->store.get(id)->active_turn_id.empty(); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_EQ(gateway_->store.get(id)->active_turn_id, turn["turnId"]);
    restart();
    const auto project = gateway_->store.get(id);
    EXPECT_TRUE(project->active_turn_id.empty());
    EXPECT_EQ(project->turns, 1U);
    const auto ended = events("turn/completed");
    ASSERT_EQ(ended.size(), 1U);
    const json params = json::parse(ended[0].data)["params"];
    EXPECT_EQ(params["turn"]["id"], turn["turnId"]);
    EXPECT_EQ(params["turn"]["status"], "failed");
    EXPECT_EQ(host_.counterValue("sluice_appserver_turns_total", {{"outcome", "failed"}}), 1U);
    EXPECT_EQ(ok(service().open(kOwner, id, json::object()))["threadId"], turn["threadId"]);
}

TEST_F(ProjectServiceTest, TurnsNeedAPromptAndValidOverrides) {
    const std::string id = createProject();
    EXPECT_EQ(status(service().startTurn(kOwner, id, json::object())), 400);
    EXPECT_EQ(status(service().startTurn(kOwner, id, {{"prompt", "x"}, {"effort", "max"}})), 400);
    EXPECT_EQ(status(service().startTurn(kOwner, id,
                                         {{"prompt", "x"}, {"sandbox", "danger-full-access"}})),
              403);
    EXPECT_EQ(status(service().thread(kOwner, id)), 404);  // not opened yet
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
