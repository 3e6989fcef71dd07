#include "trigger_scheduler.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <thread>

#include "fake_codex.hpp"
#include "sluice/plugins/common/private_files.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "sluice/sdk/testing/schema_config.hpp"
#include "sluice/sdk/testing/temp_directory.hpp"
#include "trigger_file.hpp"

namespace sluice::plugins::route_runner {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

class TriggerSchedulerTest : public ::testing::Test {
protected:
    void SetUp() override {
        fs::create_directories(dir_.path() / "work");
        config_ = parseRunnerConfig(*sdk::testing::configFromSchema(runnerConfigSchema()), {});
        config_.codex_bin = writeFakeCodex(dir_.path()).string();
        config_.state_dir = (dir_.path() / "state").string();
        config_.workspace_roots = {(dir_.path() / "work").string()};
        triggers_ = {true,      (dir_.path() / "triggers").string(), "triggers.json", 50ms, 20ms,
                     "sk-owner"};
        sessions_ = std::make_unique<SessionStore>(config_.state_dir);
        service_ = std::make_unique<RunnerService>(RunnerDeps{
            config_, *sessions_, limiter_, metrics_, host_.logger("runner"), host_.clock(),
            host_.random(),
            [](const std::string&, std::chrono::seconds) -> sdk::Result<std::string> {
                return std::string("delegated-token");
            },
            [] { return std::string("http://127.0.0.1:1/backend-api/codex"); }, nullptr});
    }

    std::unique_ptr<TriggerScheduler> scheduler() {
        return std::make_unique<TriggerScheduler>(triggers_, *service_, host_.clock(),
                                                  host_.random(), host_.logger("runner"));
    }

    std::size_t runs() {
        std::size_t total = 0;
        for (const SessionView& session : sessions_->list(100, "", true)) {
            total += session.meta["runs"].size();
        }
        return total;
    }

    fs::path file() { return dir_.path() / "triggers" / "triggers.json"; }

    sdk::testing::TempDirectory dir_;
    sdk::testing::FakeHost host_;
    RunnerConfig config_;
    TriggersConfig triggers_;
    std::unique_ptr<SessionStore> sessions_;
    ConcurrencyLimiter limiter_{2};
    RunnerMetrics metrics_{host_.metrics()};
    std::unique_ptr<RunnerService> service_;
};

TEST_F(TriggerSchedulerTest, AnOverdueOnceTriggerFiresOnceAndIsRemovedEvenWithTwoSchedulers) {
    common::makePrivateDirectory(dir_.path() / "triggers");
    ASSERT_TRUE(
        writeTriggerFile(
            file(),
            json::array({{{"id", "once"},
                          {"prompt_text", "report"},
                          {"schedule", {{"mode", "once"}, {"at", "2020-01-01T00:00:00Z"}}}}}),
            "then")
            .ok());
    {
        auto first = scheduler();
        auto second = scheduler();  // a reloaded pipeline: both instances watch the directory
        for (int i = 0; i < 500 && !readTriggerFile(file()).value().empty(); ++i) {
            std::this_thread::sleep_for(10ms);
        }
        std::this_thread::sleep_for(300ms);
    }
    EXPECT_TRUE(readTriggerFile(file()).value().empty()) << "removed after its success";
    EXPECT_EQ(runs(), 1u);
}

TEST_F(TriggerSchedulerTest, TheApiPersistsPrivatelyAndAnswersTheSeedsCodes) {
    auto triggers = scheduler();
    const json daily = {{"id", "daily"},
                        {"prompt_text", "p"},
                        {"schedule", {{"time", "14:00"}, {"timezone", "America/Chicago"}}}};
    EXPECT_EQ(triggers->create("", daily, "sk-alice").status, 201);
    EXPECT_EQ(triggers->create("", daily, "sk-alice").status, 409);
    EXPECT_EQ(triggers->create("", {{"schedule", {{"minutes", 1}}}}, "sk-alice").status, 400);
    EXPECT_EQ(triggers->create("../x.json", daily, "sk-alice").status, 400);
    EXPECT_EQ(triggers->update("", "nope", {{"title", "t"}}).status, 404);
    const RunAnswer updated =
        triggers->update("", "daily", {{"title", "renamed"}, {"owner_key", "sk-mallory"}});
    ASSERT_EQ(updated.status, 200);
    EXPECT_EQ(updated.body["trigger"]["owner_key"], "sk-alice") << "the payer cannot be changed";
    const RunAnswer listed = triggers->list("");
    ASSERT_EQ(listed.body["triggers"].size(), 1u);
    EXPECT_TRUE(listed.body["triggers"][0]["next_fire"].is_string());
    struct stat st {};
    ASSERT_EQ(::stat(file().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    EXPECT_EQ(triggers->remove("", "daily").status, 200);
    EXPECT_EQ(triggers->remove("", "daily").status, 404);
    EXPECT_TRUE(readTriggerFile(file()).value().empty());
}

}  // namespace
}  // namespace sluice::plugins::route_runner
