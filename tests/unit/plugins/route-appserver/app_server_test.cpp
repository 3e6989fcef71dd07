#include "app_server.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <fstream>
#include <mutex>
#include <vector>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::route_appserver {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

/// Records what the supervisor reports, and lets a test wait for it.
class RecordingListener final : public AppServerListener {
public:
    void onMessage(const std::string& /*owner*/, const json& message) override {
        std::lock_guard lock(mutex_);
        messages_.push_back(message);
        changed_.notify_all();
    }
    void onExit(const std::string& /*owner*/, bool restarting) override {
        std::lock_guard lock(mutex_);
        exits_.push_back(restarting);
        changed_.notify_all();
    }
    bool idle(const std::string& /*owner*/) override { return idle_.load(); }
    void setIdle(bool idle) { idle_ = idle; }
    json waitForMessage(const std::string& method) {
        std::unique_lock lock(mutex_);
        json found;
        changed_.wait_for(lock, 10s, [&] {
            for (const auto& message : messages_) {
                if (message.value("method", "") == method) {
                    found = message;
                    return true;
                }
            }
            return false;
        });
        return found;
    }
    std::vector<bool> waitForExits(std::size_t count) {
        std::unique_lock lock(mutex_);
        changed_.wait_for(lock, 10s, [&] { return exits_.size() >= count; });
        return exits_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<json> messages_;
    std::vector<bool> exits_;
    std::atomic<bool> idle_{true};
};

class AppServerTest : public ::testing::Test {
protected:
    std::unique_ptr<AppServer> make(std::vector<std::string> extra_env = {},
                                    SupervisorTiming timing = fastTiming()) {
        std::vector<std::string> environment{"FAKE_STATE_DIR=" + state_.path().string(),
                                             "SECRET_TOKEN=delegated-credential"};
        environment.insert(environment.end(), extra_env.begin(), extra_env.end());
        Launcher launcher = [environment]() -> sdk::Result<ChildSpec> {
            return ChildSpec{{SLUICE_FAKE_APP_SERVER}, environment, {}};
        };
        return std::make_unique<AppServer>("sk-owner", launcher, timing, listener_);
    }

    static SupervisorTiming fastTiming() {
        SupervisorTiming timing;
        timing.request_timeout = 5s;
        timing.start_timeout = 5s;
        timing.restart_backoff = 50ms;
        timing.max_restart_backoff = 200ms;
        timing.overload_retries = 3;
        timing.overload_backoff = 10ms;
        return timing;
    }

    int starts() const {
        int count = 0;
        std::ifstream(state_.path() / "starts") >> count;
        return count;
    }

    sdk::testing::TempDirectory state_;
    RecordingListener listener_;
};

TEST_F(AppServerTest, FirstCallStartsTheProcessAndHandshakes) {
    auto server = make();
    EXPECT_EQ(server->phase(), Phase::Stopped);
    const CallOutcome echo = server->call("test/echo", {{"x", 1}});
    ASSERT_TRUE(echo.ok()) << echo.message;
    EXPECT_EQ(echo.result, (json{{"x", 1}}));
    EXPECT_EQ(server->phase(), Phase::Ready);
    EXPECT_EQ(starts(), 1);
    EXPECT_TRUE(server->status()["pid"].is_number_integer());
    EXPECT_EQ(server->status()["userAgent"], "fake/1.0");
}

TEST_F(AppServerTest, TheLaunchersEnvironmentReachesTheChild) {
    auto server = make();
    EXPECT_EQ(server->call("test/env", {{"name", "SECRET_TOKEN"}}).result["value"],
              "delegated-credential");
}

TEST_F(AppServerTest, RemoteErrorsComeBackTyped) {
    auto server = make();
    const CallOutcome unknown = server->call("no/such", json::object());
    EXPECT_EQ(unknown.failure, CallFailure::Remote);
    EXPECT_EQ(unknown.code, -32600);
    EXPECT_NE(unknown.message.find("unknown variant"), std::string::npos);
}

TEST_F(AppServerTest, OverloadIsRetriedWithBackoff) {
    auto server = make({"FAKE_OVERLOADS=2"});
    const CallOutcome outcome = server->call("test/overloaded", json::object());
    ASSERT_TRUE(outcome.ok()) << outcome.message;
    EXPECT_EQ(outcome.result["attempts"], 3);
}

TEST_F(AppServerTest, OverloadBeyondTheRetriesIsReturned) {
    SupervisorTiming timing = fastTiming();
    timing.overload_retries = 1;
    auto server = make({"FAKE_OVERLOADS=5"}, timing);
    const CallOutcome outcome = server->call("test/overloaded", json::object());
    EXPECT_EQ(outcome.failure, CallFailure::Remote);
    EXPECT_EQ(outcome.code, kServerOverloaded);
}

TEST_F(AppServerTest, SlowAnswersTimeOut) {
    SupervisorTiming timing = fastTiming();
    timing.request_timeout = 100ms;
    auto server = make({}, timing);
    EXPECT_EQ(server->call("test/slow", {{"ms", 2000}}).failure, CallFailure::Timeout);
}

TEST_F(AppServerTest, AnExitFailsInFlightCallsReportsAndRestarts) {
    auto server = make();
    ASSERT_TRUE(server->call("test/echo", json::object()).ok());
    const CallOutcome lost = server->call("test/exit", {{"code", 7}});
    EXPECT_EQ(lost.failure, CallFailure::Exited);
    EXPECT_EQ(listener_.waitForExits(1), std::vector<bool>{true});
    const CallOutcome after = server->call("test/echo", {{"again", true}});
    ASSERT_TRUE(after.ok()) << after.message;
    EXPECT_EQ(starts(), 2);
    EXPECT_GE(server->status()["restarts"].get<int>(), 1);
}

TEST_F(AppServerTest, AKilledProcessFailsTheCallItWasAnswering) {
    auto server = make();
    ASSERT_TRUE(server->call("test/echo", json::object()).ok());
    const pid_t pid = server->status()["pid"].get<pid_t>();
    std::thread killer([pid] {
        std::this_thread::sleep_for(200ms);
        ::kill(pid, SIGKILL);
    });
    const CallOutcome lost = server->call("test/slow", {{"ms", 5000}});
    killer.join();
    EXPECT_EQ(lost.failure, CallFailure::Exited);
    EXPECT_EQ(listener_.waitForExits(1), std::vector<bool>{true});
    EXPECT_TRUE(server->call("test/echo", json::object()).ok());
}

TEST_F(AppServerTest, AFailedHandshakeLeavesItBackingOffAndUnavailable) {
    SupervisorTiming timing = fastTiming();
    timing.start_timeout = 500ms;
    auto server = make({"FAKE_HELLO=fail"}, timing);
    const CallOutcome outcome = server->call("test/echo", json::object());
    EXPECT_EQ(outcome.failure, CallFailure::Unavailable);
    EXPECT_NE(outcome.message.find("initialize failed"), std::string::npos);
    EXPECT_GE(starts(), 2);  // it kept trying
}

TEST_F(AppServerTest, AMissingExecutableIsUnavailable) {
    SupervisorTiming timing = fastTiming();
    timing.start_timeout = 300ms;
    Launcher launcher = []() -> sdk::Result<ChildSpec> {
        return ChildSpec{{"/nonexistent/codex"}, {}, {}};
    };
    AppServer server("sk-owner", launcher, timing, listener_);
    const CallOutcome outcome = server.call("test/echo", json::object());
    EXPECT_EQ(outcome.failure, CallFailure::Unavailable);
    EXPECT_NE(outcome.message.find("/nonexistent/codex"), std::string::npos);
}

TEST_F(AppServerTest, NotificationsAndServerRequestsReachTheListenerAndAnswersReachTheServer) {
    auto server = make();
    ASSERT_TRUE(
        server->call("test/notify", {{"method", "turn/started"}, {"params", {{"threadId", "t1"}}}})
            .ok());
    EXPECT_EQ(listener_.waitForMessage("turn/started")["params"]["threadId"], "t1");
    ASSERT_TRUE(server
                    ->call("test/ask", {{"method", "item/commandExecution/requestApproval"},
                                        {"params", {{"threadId", "t1"}}}})
                    .ok());
    const json request = listener_.waitForMessage("item/commandExecution/requestApproval");
    ASSERT_TRUE(request.contains("id"));
    ASSERT_TRUE(server->respond(request["id"], {{"decision", "accept"}}));
    EXPECT_EQ(listener_.waitForMessage("test/answered")["params"]["result"]["decision"], "accept");
}

TEST_F(AppServerTest, StopEndsTheProcessReportsItAndTheNextCallStartsAgain) {
    auto server = make();
    ASSERT_TRUE(server->call("test/echo", json::object()).ok());
    server->stop();
    EXPECT_EQ(listener_.waitForExits(1), std::vector<bool>{false});
    EXPECT_EQ(server->phase(), Phase::Stopped);
    EXPECT_TRUE(server->call("test/echo", json::object()).ok());
    EXPECT_EQ(starts(), 2);
}

TEST_F(AppServerTest, AnOldIdleProcessIsReplacedWithAFreshOne) {
    SupervisorTiming timing = fastTiming();
    timing.recycle_after = 150ms;
    auto server = make({}, timing);
    ASSERT_TRUE(server->call("test/echo", json::object()).ok());
    EXPECT_EQ(listener_.waitForExits(1), std::vector<bool>{false});
    for (int i = 0; i < 200 && starts() < 2; ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_GE(starts(), 2);
    EXPECT_TRUE(server->call("test/echo", json::object()).ok());
}

TEST_F(AppServerTest, ABusyProcessIsNotReplaced) {
    listener_.setIdle(false);
    SupervisorTiming timing = fastTiming();
    timing.recycle_after = 50ms;
    auto server = make({}, timing);
    ASSERT_TRUE(server->call("test/echo", json::object()).ok());
    std::this_thread::sleep_for(300ms);
    EXPECT_EQ(starts(), 1);
    EXPECT_EQ(server->phase(), Phase::Ready);
}

}  // namespace
}  // namespace sluice::plugins::route_appserver
