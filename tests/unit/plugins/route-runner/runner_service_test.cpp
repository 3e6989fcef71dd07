#include "runner_service.hpp"

#include <gtest/gtest.h>

#include "fake_codex.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/schema_config.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

class RunnerServiceTest : public ::testing::Test {
protected:
    void SetUp() override {
        const fs::path codex = writeFakeCodex(dir_.path());
        fs::create_directories(dir_.path() / "work");
        const auto node = sdk::testing::configFromSchema(runnerConfigSchema());
        config_ = parseRunnerConfig(*node, {});
        config_.codex_bin = codex.string();
        config_.state_dir = (dir_.path() / "state").string();
        config_.workspace_roots = {(dir_.path() / "work").string()};
        config_.max_concurrent = 1;
        config_.retry_delay = std::chrono::milliseconds(10);
        config_.min_timeout = std::chrono::milliseconds(10);
        config_.secure_token = "open-sesame";
        sessions_ = std::make_unique<SessionStore>(config_.state_dir);
        service_ = std::make_unique<RunnerService>(RunnerDeps{
            config_, *sessions_, limiter_, metrics_, host_.logger("runner"), host_.clock(),
            host_.random(),
            [this](const std::string& key, std::chrono::seconds) -> sdk::Result<std::string> {
                minted_for_.push_back(key);
                if (key == "sk-paused") {
                    return sdk::Status(sdk::StatusCode::FailedPrecondition, "key is paused");
                }
                return std::string("delegated-token");
            },
            [] { return std::string("http://127.0.0.1:1/backend-api/codex"); },
            [this](const json& payload) { completed_.push_back(payload); }});
    }

    RunRequest request(const std::string& prompt = "hello") {
        RunRequest r;
        r.prompt = prompt;
        r.messages = json::array({{{"role", "user"}, {"content", prompt}}});
        r.payer = "sk-payer";
        return r;
    }

    void failRuns(const std::string& session_id, const std::string& runs) {
        const fs::path home = sessions_->find(session_id)->dir / "codex-home";
        fs::create_directories(home);
        std::ofstream(home / "fail") << runs;
    }

    sdk::testing::TempDirectory dir_;
    sdk::testing::FakeHost host_;
    RunnerConfig config_;
    std::unique_ptr<SessionStore> sessions_;
    ConcurrencyLimiter limiter_{1};
    RunnerMetrics metrics_{host_.metrics()};
    std::unique_ptr<RunnerService> service_;
    std::vector<std::string> minted_for_;
    std::vector<json> completed_;
};

TEST_F(RunnerServiceTest, ARunAnswersInTheSeedsShapeAndResumesWithPerRunUsage) {
    const RunAnswer first = service_->run(request(), "");
    ASSERT_EQ(first.status, 200) << first.body.dump();
    EXPECT_EQ(first.body["output"], "answer 1");
    EXPECT_EQ(first.body["content"], "answer 1");
    EXPECT_EQ(first.body["codex_session_id"], "thread-1");
    EXPECT_EQ(first.body["usage"]["total_tokens"], 11);
    EXPECT_EQ(minted_for_, std::vector<std::string>{"sk-payer"});
    ASSERT_EQ(completed_.size(), 1u);
    EXPECT_EQ(completed_[0].dump().find("delegated-token"), std::string::npos);
    EXPECT_EQ(completed_[0]["sessionId"], first.body["session_id"]);
    EXPECT_EQ(completed_[0]["prompt"], "hello");

    RunRequest next = request("again");
    next.session_id = first.body["session_id"];
    const RunAnswer second = service_->run(next, "");
    ASSERT_EQ(second.status, 200) << second.body.dump();
    EXPECT_EQ(second.body["usage"]["input_tokens"], 10) << "cumulative 20 minus the first run's 10";
    const auto stored = sessions_->find("thread-1");
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->meta["runs"].size(), 2u);
    EXPECT_EQ(stored->meta["runs"][1]["payer"], "sk-payer");
    EXPECT_EQ(host_.counterValue("sluice_runner_runs_total",
                                 {{"source", "api"}, {"outcome", "completed"}}),
              2u);
}

TEST_F(RunnerServiceTest, RetriesAFailedRunInsideItsBudget) {
    config_.max_retries = 2;
    const RunAnswer first = service_->run(request(), "");
    ASSERT_EQ(first.status, 200);
    const std::string id = first.body["session_id"];
    failRuns(id, "2\n");
    RunRequest next = request("again");
    next.session_id = id;
    const RunAnswer retried = service_->run(next, "");
    ASSERT_EQ(retried.status, 200) << retried.body.dump();
    EXPECT_EQ(retried.body["output"], "answer 3") << "run 2 failed, run 3 answered";
}

TEST_F(RunnerServiceTest, AFailureWithoutRetriesIs500WithTheStderrTail) {
    const RunAnswer first = service_->run(request(), "");
    const std::string id = first.body["session_id"];
    failRuns(id, "2\n");
    RunRequest next = request("again");
    next.session_id = id;
    const RunAnswer failed = service_->run(next, "");
    EXPECT_EQ(failed.status, 500);
    EXPECT_EQ(failed.body["stderr"], "run 2 failed\n");
    EXPECT_EQ(failed.body["exit_code"], 1);
}

TEST_F(RunnerServiceTest, RefusalsComeBeforeAnyProcess) {
    RunRequest unknown = request();
    unknown.session_id = "session-nope";
    EXPECT_EQ(service_->run(unknown, "").status, 404);

    RunRequest escape = request();
    escape.workspace = "../..";
    EXPECT_EQ(service_->run(escape, "").status, 400);

    RunRequest paused = request();
    paused.payer = "sk-paused";
    EXPECT_EQ(service_->run(paused, "").status, 403);

    ASSERT_TRUE(limiter_.tryAcquire());
    const RunAnswer busy = service_->run(request(), "");
    limiter_.release();
    EXPECT_EQ(busy.status, 429);
    EXPECT_EQ(busy.retry_after, 5);
    EXPECT_EQ(busy.body["active"], 1);
}

TEST_F(RunnerServiceTest, ABusySessionIs409) {
    const RunAnswer first = service_->run(request(), "");
    const std::string id = first.body["session_id"];
    ASSERT_TRUE(sessions_->tryBegin(id));
    RunRequest next = request();
    next.session_id = id;
    EXPECT_EQ(service_->run(next, "").status, 409);
    sessions_->end(id);
}

TEST_F(RunnerServiceTest, SecureSessionsNeedTheToken) {
    RunRequest secure = request();
    secure.secure = true;
    const RunAnswer created = service_->run(secure, "");
    ASSERT_EQ(created.status, 200);
    RunRequest next = request();
    next.session_id = created.body["session_id"];
    EXPECT_EQ(service_->run(next, "wrong").status, 403);
    EXPECT_EQ(service_->run(next, "open-sesame").status, 200);
    EXPECT_TRUE(service_->secureAccess("open-sesame"));
    EXPECT_FALSE(service_->secureAccess(""));
}

}  // namespace
}  // namespace sluice::plugins::route_runner
