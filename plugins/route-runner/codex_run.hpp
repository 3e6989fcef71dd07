#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "exec_events.hpp"
#include "sluice/plugins/common/child_process.hpp"

namespace sluice::plugins::route_runner {

/// One `codex exec` process: what to start and until when.
struct ExecSpec {
    common::ChildSpec child;
    std::string stdin_text;  ///< the prompt
    common::ChildProcess::Clock::time_point deadline;
    std::chrono::milliseconds kill_grace{2000};
};

/// Receives the raw output as it arrives (the session's log files). Request thread.
struct RunOutput {
    std::function<void(std::string_view)> on_stdout;
    std::function<void(std::string_view)> on_stderr;
};

/// The lifecycle of one process, one function per transition:
/// Idle --start--> Running --onOutputClosed--> Exiting --onExit--> Completed | Failed
/// Running|Exiting --onDeadline--> TimedOut; Idle --start (spawn error)--> Failed.
class CodexRun final {
public:
    enum class Phase { Idle, Running, Exiting, Completed, Failed, TimedOut };

    CodexRun(ExecSpec spec, RunOutput output);

    /// Runs the process to its end on the calling thread and returns the final phase.
    Phase execute();

    Phase phase() const noexcept { return phase_; }
    const ExecTranscript& transcript() const noexcept { return parser_.transcript(); }
    /// The last few KiB of stderr (for a 500's body), and why the run failed when it did.
    const std::string& stderrTail() const noexcept { return stderr_tail_; }
    const std::string& error() const noexcept { return error_; }
    int exitCode() const noexcept { return exit_.exit_code; }
    /// The process (and group) id; 0 before start.
    pid_t pid() const noexcept { return pid_; }

private:
    void start();
    void pump();
    void onOutputClosed();
    void onExit(const common::ChildExit& ended);
    void onDeadline();
    void take(const common::ChildOutput& chunk);

    ExecSpec spec_;
    RunOutput output_;
    Phase phase_ = Phase::Idle;
    std::unique_ptr<common::ChildProcess> child_;
    ExecEventParser parser_;
    std::string stderr_tail_;
    std::string error_;
    common::ChildExit exit_;
    pid_t pid_ = 0;
};

const char* phaseName(CodexRun::Phase phase) noexcept;

}  // namespace sluice::plugins::route_runner
