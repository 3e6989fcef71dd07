#pragma once

// A supervised child process (a `codex exec` run, a `codex app-server`): spawned with
// posix_spawn in a process group of its own, fed through a non-blocking stdin pipe, read through
// stdout/stderr pipes, and ended by signalling the whole group (TERM, then KILL after a grace
// period) so nothing it started outlives it. Two ways to talk to it: chunks (feed/read, one
// thread drives everything) or newline-delimited lines (writeLine from any thread, readLine on
// one reader thread), as a JSON-RPC peer such as `codex app-server` needs.

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::common {

/// Where the child's standard error goes. Discard for a child that may echo prompts or tool
/// output, which must never reach Sluice's logs, and whose stderr nobody reads.
enum class ChildStderr { Capture, Discard };

struct ChildSpec {
    std::vector<std::string>
        argv;                      ///< argv[0] is looked up on the PATH of `env` when it has no '/'
    std::vector<std::string> env;  ///< the complete environment, "NAME=value"; nothing is inherited
    std::string cwd;               ///< working directory; empty: the gateway's
    ChildStderr stderr_mode = ChildStderr::Capture;
};

enum class ChildStream { Stdout, Stderr };

/// Output read from the child, in arrival order per stream.
struct ChildOutput {
    ChildStream stream = ChildStream::Stdout;
    std::string bytes;
};

/// How the child ended: `exit_code` for a normal exit, else the signal that ended it.
struct ChildExit {
    int exit_code = -1;
    int signal = 0;
};

/// Owns one running child. One thread drives it (spawn, feed, read, wait, terminate, the
/// destructor), except that writeLine() may be called from any thread and readLine() belongs to
/// one reader thread, which terminate() and kill() end by closing the child's output. The
/// destructor ends the process group (TERM, grace, KILL) and reaps it, so a dropped child never
/// lingers.
class ChildProcess final {
public:
    using Clock = std::chrono::steady_clock;

    static sdk::Result<std::unique_ptr<ChildProcess>> spawn(const ChildSpec& spec);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// The child's pid, which is also its process group id.
    pid_t pid() const noexcept { return pid_; }

    /// Queues bytes for the child's stdin; they are written while read() waits.
    void feed(std::string_view bytes);
    /// Closes stdin once everything queued has been written.
    void closeStdinWhenDrained();

    /// Waits until output arrives (returns it), both output pipes are closed (returns empty
    /// with outputClosed() true) or `deadline` passes (returns empty).
    std::vector<ChildOutput> read(Clock::time_point deadline);
    bool outputClosed() const noexcept { return stdout_fd_ < 0 && stderr_fd_ < 0; }

    /// Writes `line` and a newline, waiting while the child is slow to read; false once its
    /// stdin is closed. Any thread; lines from different threads never interleave.
    bool writeLine(std::string_view line);
    /// The next stdout line without its newline; nullopt at end of output. Lines longer than
    /// `max_line` are cut there (the rest of the line is dropped). The reader thread only.
    std::optional<std::string> readLine(std::size_t max_line);

    /// Waits for the child to exit until `deadline`; nullopt if it is still running. Once it has
    /// exited, whatever is left of its group is killed and it is reaped.
    std::optional<ChildExit> wait(Clock::time_point deadline);

    /// Ends the whole process group: SIGTERM, then SIGKILL if the leader is still alive after
    /// `grace`. Reaps the leader and returns how it ended; later calls return the same.
    ChildExit terminate(std::chrono::milliseconds grace);
    /// SIGKILL to the process group only (a supervisor giving up on a child, a test simulating
    /// a crash); the reader then sees the end of output. Any thread.
    void kill() noexcept;

private:
    ChildProcess(pid_t pid, int stdin_fd, int stdout_fd, int stderr_fd);
    void pumpStdin();
    void closeStdin();
    void readFrom(int& fd, ChildStream stream, std::vector<ChildOutput>& out);
    ChildExit reap();

    pid_t pid_;
    std::mutex stdin_mutex_;  ///< guards stdin_fd_ and pending_stdin_ (writeLine is any thread)
    int stdin_fd_;
    int stdout_fd_;
    int stderr_fd_;
    std::string pending_stdin_;
    bool close_stdin_when_drained_ = false;
    std::string line_buffer_;  ///< readLine's partial line
    std::optional<ChildExit> exit_;
    std::atomic<bool> reaped_{false};  ///< read by kill() from any thread
};

/// True while some live (not zombie) process of group `pgid` exists, from /proc (for tests
/// and diagnostics).
bool processGroupAlive(pid_t pgid) noexcept;

}  // namespace sluice::plugins::common
