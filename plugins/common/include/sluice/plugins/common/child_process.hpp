#pragma once

// A supervised child process (a `codex exec` run, a `codex app-server`): spawned with
// posix_spawn in a process group of its own, fed through a non-blocking stdin pipe, read through
// stdout/stderr pipes, and ended by signalling the whole group (TERM, then KILL after a grace
// period) so nothing it started outlives it.

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::common {

struct ChildSpec {
    std::vector<std::string>
        argv;                      ///< argv[0] is looked up on the PATH of `env` when it has no '/'
    std::vector<std::string> env;  ///< the complete environment, "NAME=value"; nothing is inherited
    std::string cwd;               ///< working directory; empty: the gateway's
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

/// Owns one running child. Not thread-safe: one thread drives it. The destructor ends the
/// process group (TERM, grace, KILL) and reaps it, so a dropped child never lingers.
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

    /// Waits for the child to exit until `deadline`; nullopt if it is still running. Once it has
    /// exited, whatever is left of its group is killed and it is reaped.
    std::optional<ChildExit> wait(Clock::time_point deadline);

    /// Ends the whole process group: SIGTERM, then SIGKILL if the leader is still alive after
    /// `grace`. Reaps the leader and returns how it ended.
    ChildExit terminate(std::chrono::milliseconds grace);

private:
    ChildProcess(pid_t pid, int stdin_fd, int stdout_fd, int stderr_fd);
    void pumpStdin();
    void readFrom(int& fd, ChildStream stream, std::vector<ChildOutput>& out);
    ChildExit reap();

    pid_t pid_;
    int stdin_fd_;
    int stdout_fd_;
    int stderr_fd_;
    std::string pending_stdin_;
    bool close_stdin_when_drained_ = false;
    std::optional<ChildExit> exit_;
};

/// True while some live (not zombie) process of group `pgid` exists, from /proc (for tests
/// and diagnostics).
bool processGroupAlive(pid_t pgid) noexcept;

}  // namespace sluice::plugins::common
