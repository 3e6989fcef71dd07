#include "codex_run.hpp"

namespace sluice::plugins::route_runner {

namespace {

constexpr std::size_t kStderrTailBytes = 4096;
using Clock = common::ChildProcess::Clock;

}  // namespace

CodexRun::CodexRun(ExecSpec spec, RunOutput output)
    : spec_(std::move(spec)), output_(std::move(output)) {}

CodexRun::Phase CodexRun::execute() {
    start();
    while (phase_ == Phase::Running || phase_ == Phase::Exiting) {
        pump();
    }
    return phase_;
}

void CodexRun::start() {
    auto spawned = common::ChildProcess::spawn(spec_.child);
    if (!spawned.ok()) {
        error_ = spawned.status().message();
        phase_ = Phase::Failed;
        return;
    }
    child_ = std::move(spawned).value();
    pid_ = child_->pid();
    child_->feed(spec_.stdin_text);
    child_->closeStdinWhenDrained();
    phase_ = Phase::Running;
}

void CodexRun::pump() {
    if (Clock::now() >= spec_.deadline) {
        onDeadline();
        return;
    }
    if (phase_ == Phase::Running) {
        // Short slices, so a leader that exits while a grandchild holds the pipes is noticed.
        const auto slice = std::min(spec_.deadline, Clock::now() + std::chrono::milliseconds(200));
        for (const common::ChildOutput& chunk : child_->read(slice)) {
            take(chunk);
        }
        if (child_->outputClosed()) {
            onOutputClosed();
        } else if (auto ended = child_->wait(Clock::now())) {
            // The leader is gone and its group swept: drain what the pipes still hold.
            while (!child_->outputClosed() && Clock::now() < spec_.deadline) {
                for (const common::ChildOutput& chunk : child_->read(spec_.deadline)) {
                    take(chunk);
                }
            }
            onExit(*ended);
        }
        return;
    }
    if (auto ended =
            child_->wait(std::min(spec_.deadline, Clock::now() + std::chrono::seconds(1)))) {
        onExit(*ended);
    }
}

void CodexRun::onOutputClosed() {
    phase_ = Phase::Exiting;
}

void CodexRun::onExit(const common::ChildExit& ended) {
    parser_.finish();
    exit_ = ended;
    const ExecTranscript& t = parser_.transcript();
    if (ended.exit_code == 0 && !t.failure) {
        phase_ = Phase::Completed;
        return;
    }
    phase_ = Phase::Failed;
    if (t.failure) {
        error_ = *t.failure;
    } else if (ended.signal != 0) {
        error_ = "codex was ended by signal " + std::to_string(ended.signal);
    } else {
        error_ = "codex exited with status " + std::to_string(ended.exit_code);
    }
}

void CodexRun::onDeadline() {
    exit_ = child_->terminate(spec_.kill_grace);
    parser_.finish();
    error_ = "Timeout exceeded";
    phase_ = Phase::TimedOut;
}

void CodexRun::take(const common::ChildOutput& chunk) {
    if (chunk.stream == common::ChildStream::Stdout) {
        parser_.feed(chunk.bytes);
        if (output_.on_stdout) {
            output_.on_stdout(chunk.bytes);
        }
        return;
    }
    stderr_tail_.append(chunk.bytes);
    if (stderr_tail_.size() > kStderrTailBytes) {
        stderr_tail_.erase(0, stderr_tail_.size() - kStderrTailBytes);
    }
    if (output_.on_stderr) {
        output_.on_stderr(chunk.bytes);
    }
}

const char* phaseName(CodexRun::Phase phase) noexcept {
    switch (phase) {
        case CodexRun::Phase::Idle:
            return "idle";
        case CodexRun::Phase::Running:
            return "running";
        case CodexRun::Phase::Exiting:
            return "exiting";
        case CodexRun::Phase::Completed:
            return "completed";
        case CodexRun::Phase::Failed:
            return "error";
        case CodexRun::Phase::TimedOut:
            return "timeout";
    }
    return "error";
}

}  // namespace sluice::plugins::route_runner
