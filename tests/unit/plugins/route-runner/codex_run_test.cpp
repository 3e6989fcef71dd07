#include "codex_run.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace sluice::plugins::route_runner {
namespace {

using namespace std::chrono_literals;
using Clock = common::ChildProcess::Clock;

// A stand-in for `codex exec --json`: a shell script reading the prompt from stdin.
ExecSpec fakeCodex(const std::string& script, std::chrono::milliseconds budget = 10s) {
    return {{{"sh", "-c", script}, {"PATH=/usr/bin:/bin"}, "/tmp"},
            "the prompt",
            Clock::now() + budget,
            200ms};
}

TEST(CodexRunTest, ACompletedTurnEndsCompletedWithItsTranscript) {
    std::string seen_stdout;
    CodexRun run(fakeCodex(R"(read -r prompt; echo '{"type":"thread.started","thread_id":"t1"}';
        echo "{\"type\":\"item.completed\",\"item\":{\"type\":\"agent_message\",\"text\":\"got $prompt\"}}";
        echo '{"type":"turn.completed","usage":{"input_tokens":3,"output_tokens":2}}')"),
                 {[&](std::string_view b) { seen_stdout += b; }, nullptr});
    EXPECT_EQ(run.execute(), CodexRun::Phase::Completed);
    EXPECT_EQ(run.transcript().output, "got the prompt");
    EXPECT_EQ(run.transcript().thread_id, "t1");
    EXPECT_EQ(run.transcript().usage->total(), 5u);
    EXPECT_NE(seen_stdout.find("thread.started"), std::string::npos);
    EXPECT_GT(run.pid(), 0);
}

TEST(CodexRunTest, ANonZeroExitFailsWithTheStderrTail) {
    CodexRun run(fakeCodex("echo 'thread/resume failed: no rollout found' >&2; exit 1"), {});
    EXPECT_EQ(run.execute(), CodexRun::Phase::Failed);
    EXPECT_EQ(run.exitCode(), 1);
    EXPECT_NE(run.stderrTail().find("no rollout found"), std::string::npos);
}

TEST(CodexRunTest, TurnFailedFailsEvenWithExitZero) {
    CodexRun run(fakeCodex(R"(echo '{"type":"turn.failed","error":{"message":"quota"}}')"), {});
    EXPECT_EQ(run.execute(), CodexRun::Phase::Failed);
    EXPECT_EQ(run.error(), "quota");
}

TEST(CodexRunTest, TheDeadlineKillsTheWholeProcessGroup) {
    // The child ignores TERM and leaves a grandchild: both must be gone after the timeout.
    CodexRun run(fakeCodex("trap '' TERM; sleep 60 & sleep 60", 300ms), {});
    const auto started = Clock::now();
    EXPECT_EQ(run.execute(), CodexRun::Phase::TimedOut);
    EXPECT_LT(Clock::now() - started, 5s);
    EXPECT_EQ(run.error(), "Timeout exceeded");
    for (int i = 0; i < 200 && common::processGroupAlive(run.pid()); ++i) {
        std::this_thread::sleep_for(10ms);
    }
    EXPECT_FALSE(common::processGroupAlive(run.pid()));
}

TEST(CodexRunTest, AMissingProgramFailsWithoutAProcess) {
    ExecSpec spec = fakeCodex("");
    spec.child.argv = {"no-such-codex"};
    CodexRun run(spec, {});
    EXPECT_EQ(run.execute(), CodexRun::Phase::Failed);
    EXPECT_EQ(run.pid(), 0);
    EXPECT_NE(run.error().find("not found"), std::string::npos);
}

TEST(CodexRunTest, ALeaderThatExitsWhileAGrandchildHoldsThePipesStillEnds) {
    CodexRun run(fakeCodex(R"(sleep 60 & echo '{"type":"turn.completed","usage":{}}'; exit 0)"),
                 {});
    const auto started = Clock::now();
    EXPECT_EQ(run.execute(), CodexRun::Phase::Completed);
    EXPECT_LT(Clock::now() - started, 5s);
}

}  // namespace
}  // namespace sluice::plugins::route_runner
