#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/status.hpp"

namespace sluice::plugins::route_appserver {

/// How to start a child: argv[0] is looked up on PATH when it has no '/'.
struct ChildSpec {
    std::vector<std::string> argv;
    std::vector<std::string> environment;  ///< "NAME=value", the child's whole environment
    std::string working_directory;
};

/// A child process in its own process group, talking newline-delimited text over its stdin and
/// stdout; its stderr is discarded (it may echo prompts or tool output, which never reach
/// Sluice's logs). write() is thread-safe; readLine() belongs to one reader thread.
class ChildProcess final {
public:
    static sdk::Result<std::unique_ptr<ChildProcess>> spawn(const ChildSpec& spec);
    ~ChildProcess();

    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    pid_t pid() const noexcept { return pid_; }
    /// Writes `line` and a newline; false once the child's stdin is closed.
    bool writeLine(std::string_view line);
    /// The next stdout line without its newline; nullopt at end of output. Lines longer than
    /// `max_line` are cut there (the rest of the line is dropped).
    std::optional<std::string> readLine(std::size_t max_line);
    /// SIGTERM to the process group, SIGKILL after `grace`, then reaps the child. Idempotent.
    void terminate(std::chrono::milliseconds grace);
    /// SIGKILL to the process group only (e.g. a test simulating a crash); the reader then sees
    /// the end of output.
    void kill();

private:
    ChildProcess(pid_t pid, int in, int out) : pid_(pid), stdin_(in), stdout_(out) {}
    bool reaped(bool block);

    pid_t pid_;
    int stdin_;
    int stdout_;
    std::mutex write_mutex_;
    std::mutex wait_mutex_;
    bool reaped_ = false;
    std::string buffer_;
};

using ChildProcessPtr = std::unique_ptr<ChildProcess>;

}  // namespace sluice::plugins::route_appserver
