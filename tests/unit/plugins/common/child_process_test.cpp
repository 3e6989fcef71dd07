#include "sluice/plugins/common/child_process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace sluice::plugins::common {
namespace {

using namespace std::chrono_literals;
using Clock = ChildProcess::Clock;

ChildSpec shell(const std::string& script) {
    return {{"sh", "-c", script}, {"PATH=/usr/bin:/bin"}, ""};
}

struct Collected {
    std::string out;
    std::string err;
};

Collected drain(ChildProcess& child, Clock::time_point deadline) {
    Collected collected;
    while (!child.outputClosed() && Clock::now() < deadline) {
        for (const ChildOutput& chunk : child.read(deadline)) {
            (chunk.stream == ChildStream::Stdout ? collected.out : collected.err) += chunk.bytes;
        }
    }
    return collected;
}

// SIGKILL is delivered asynchronously: the group is gone shortly after, not at the call.
bool groupGoneWithin(pid_t group, std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (processGroupAlive(group)) {
        if (Clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

TEST(ChildProcessTest, FeedsStdinAndSeparatesStdoutFromStderr) {
    auto child = ChildProcess::spawn(shell("cat; echo oops >&2; exit 3"));
    ASSERT_TRUE(child.ok()) << child.status().message();
    child.value()->feed("hello from stdin");
    child.value()->closeStdinWhenDrained();
    const Collected out = drain(*child.value(), Clock::now() + 10s);
    EXPECT_EQ(out.out, "hello from stdin");
    EXPECT_EQ(out.err, "oops\n");
    const auto ended = child.value()->wait(Clock::now() + 10s);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->exit_code, 3);
}

TEST(ChildProcessTest, AChildThatNeverReadsStdinDoesNotRaiseSigpipeInTheGateway) {
    // Without SIGPIPE handling the write to the closed pipe ends this test process.
    for (int i = 0; i < 20; ++i) {
        auto child = ChildProcess::spawn(shell("exit 1"));
        ASSERT_TRUE(child.ok());
        child.value()->wait(Clock::now() + 10s);
        child.value()->feed(std::string(1 << 17, 'x'));
        child.value()->closeStdinWhenDrained();
        drain(*child.value(), Clock::now() + 10s);
    }
}

TEST(ChildProcessTest, LargeStdinDoesNotDeadlockAgainstOutput) {
    auto child = ChildProcess::spawn(shell("cat"));
    ASSERT_TRUE(child.ok());
    const std::string big(1 << 20, 'x');
    child.value()->feed(big);
    child.value()->closeStdinWhenDrained();
    EXPECT_EQ(drain(*child.value(), Clock::now() + 20s).out.size(), big.size());
}

TEST(ChildProcessTest, RunsInItsOwnProcessGroup) {
    auto child = ChildProcess::spawn(shell("cut -d' ' -f5 /proc/$$/stat"));
    ASSERT_TRUE(child.ok());
    child.value()->closeStdinWhenDrained();
    const std::string pgid = drain(*child.value(), Clock::now() + 10s).out;
    EXPECT_EQ(std::stol(pgid), child.value()->pid());
}

TEST(ChildProcessTest, TerminateEndsTheWholeGroupIncludingGrandchildrenThatIgnoreTerm) {
    // The grandchild ignores SIGTERM and keeps the group alive: only the KILL sweep ends it.
    auto child = ChildProcess::spawn(shell("trap '' TERM; sleep 30 & echo ready; wait"));
    ASSERT_TRUE(child.ok());
    const pid_t group = child.value()->pid();
    std::string said;
    while (said.find("ready") == std::string::npos) {
        for (const ChildOutput& chunk : child.value()->read(Clock::now() + 10s)) {
            said += chunk.bytes;
        }
    }
    EXPECT_TRUE(processGroupAlive(group));
    const ChildExit ended = child.value()->terminate(200ms);
    EXPECT_EQ(ended.signal, SIGKILL);
    EXPECT_TRUE(groupGoneWithin(group, 2s));
}

TEST(ChildProcessTest, WaitSweepsLeftoverGroupMembersAfterTheLeaderExits) {
    auto child = ChildProcess::spawn(shell("sleep 30 >/dev/null 2>&1 & exit 0"));
    ASSERT_TRUE(child.ok());
    const auto ended = child.value()->wait(Clock::now() + 10s);
    ASSERT_TRUE(ended.has_value());
    EXPECT_EQ(ended->exit_code, 0);
    EXPECT_TRUE(groupGoneWithin(child.value()->pid(), 2s));
}

TEST(ChildProcessTest, ReadReturnsAtTheDeadlineWhenTheChildIsSilent) {
    auto child = ChildProcess::spawn(shell("sleep 5"));
    ASSERT_TRUE(child.ok());
    EXPECT_TRUE(child.value()->read(Clock::now() + 50ms).empty());
    EXPECT_FALSE(child.value()->outputClosed());
    EXPECT_FALSE(child.value()->wait(Clock::now()).has_value());
}

TEST(ChildProcessTest, UsesTheChildsPathAndWorkingDirectory) {
    ChildSpec spec{{"pwd"}, {"PATH=/bin:/usr/bin"}, "/tmp"};
    auto child = ChildProcess::spawn(spec);
    ASSERT_TRUE(child.ok());
    EXPECT_EQ(drain(*child.value(), Clock::now() + 10s).out, "/tmp\n");
}

TEST(ChildProcessTest, AProgramMissingFromThePathIsAFailedPrecondition) {
    auto child = ChildProcess::spawn({{"no-such-program-here"}, {"PATH=/nonexistent"}, ""});
    ASSERT_FALSE(child.ok());
    EXPECT_EQ(child.status().code(), sdk::StatusCode::FailedPrecondition);
}

TEST(ChildProcessTest, TheGatewaysEnvironmentIsNotInherited) {
    ::setenv("SLUICE_CHILD_PROCESS_TEST_SECRET", "leak", 1);
    auto child = ChildProcess::spawn(shell("echo \"[$SLUICE_CHILD_PROCESS_TEST_SECRET]\""));
    ASSERT_TRUE(child.ok());
    EXPECT_EQ(drain(*child.value(), Clock::now() + 10s).out, "[]\n");
}

// Line mode, as a JSON-RPC peer (codex app-server) is driven: stderr discarded, writes from
// several threads, one reader thread.
ChildSpec lineChild(const std::string& script) {
    ChildSpec spec = shell(script);
    spec.stderr_mode = ChildStderr::Discard;
    return spec;
}

TEST(ChildProcessLineTest, LinesWrittenFromSeveralThreadsArriveWholeAndInOrderPerThread) {
    auto spawned = ChildProcess::spawn(lineChild("cat"));
    ASSERT_TRUE(spawned.ok());
    ChildProcess& child = *spawned.value();
    constexpr int kThreads = 4;
    constexpr int kLines = 300;
    std::vector<std::thread> writers;
    for (int t = 0; t < kThreads; ++t) {
        writers.emplace_back([&child, t] {
            for (int i = 0; i < kLines; ++i) {
                // Longer than PIPE_BUF in total, so the pipe fills while others write.
                EXPECT_TRUE(child.writeLine(std::to_string(t) + ":" + std::to_string(i) + ":" +
                                            std::string(500, 'a' + t)));
            }
        });
    }
    std::vector<int> next(kThreads, 0);
    for (int read = 0; read < kThreads * kLines; ++read) {
        const auto line = child.readLine(4096);
        ASSERT_TRUE(line.has_value());
        const int t = std::stoi(line->substr(0, line->find(':')));
        ASSERT_GE(t, 0);
        ASSERT_LT(t, kThreads);
        EXPECT_EQ(*line, std::to_string(t) + ":" + std::to_string(next[t]) + ":" +
                             std::string(500, 'a' + t));
        ++next[t];
    }
    for (auto& writer : writers) {
        writer.join();
    }
    EXPECT_EQ(child.terminate(1s).signal, SIGTERM);
}

TEST(ChildProcessLineTest, ALongLineIsCutAtTheLimitAndTheNextLineIsWhole) {
    auto child =
        ChildProcess::spawn(lineChild("head -c 200000 /dev/zero | tr '\\0' a; echo; echo next"));
    ASSERT_TRUE(child.ok());
    EXPECT_EQ(child.value()->readLine(1000), std::string(1000, 'a'));
    EXPECT_EQ(child.value()->readLine(1000), "next");
    EXPECT_EQ(child.value()->readLine(1000), std::nullopt);
}

TEST(ChildProcessLineTest, DiscardedStderrNeverFillsAPipeTheChildWaitsOn) {
    auto child = ChildProcess::spawn(lineChild("head -c 1000000 /dev/zero >&2; echo done"));
    ASSERT_TRUE(child.ok());
    EXPECT_EQ(child.value()->readLine(100), "done");
}

TEST(ChildProcessLineTest, KillEndsTheReaderAndLaterWritesFail) {
    auto spawned = ChildProcess::spawn(lineChild("cat"));
    ASSERT_TRUE(spawned.ok());
    ChildProcess& child = *spawned.value();
    std::optional<std::string> last = "unset";
    std::thread reader([&] {
        while ((last = child.readLine(100))) {
        }
    });
    EXPECT_TRUE(child.writeLine("hello"));
    child.kill();
    reader.join();
    EXPECT_EQ(last, std::nullopt) << "the reader saw the end of output";
    EXPECT_EQ(child.terminate(1s).signal, SIGKILL);
    // The reaped leader may not be the group's last process to hold the pipe (a shell's child
    // can still be dying), so a write may land in the pipe once more before they fail.
    bool refused = false;
    for (int tries = 0; tries < 200 && !refused; ++tries) {
        refused = !child.writeLine("too late");
        if (!refused) {
            std::this_thread::sleep_for(10ms);
        }
    }
    EXPECT_TRUE(refused) << "writes still succeed after the child was killed";
    child.kill();  // after the reap: leaves whatever now has that pid alone
}

}  // namespace
}  // namespace sluice::plugins::common
