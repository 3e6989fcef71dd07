#include "core/observability/fatal_signal.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdlib>
#include <cstring>

namespace sluice::core::observability::fatal_signal {

namespace {

struct FatalSignal {
    int number;
    const char* line;  // the whole log line, written as it is: formatting is not signal-safe
};

constexpr std::array<FatalSignal, 5> kFatalSignals{{
    {SIGSEGV, "level=fatal component=host event=fatal_signal signal=SIGSEGV\n"},
    {SIGBUS, "level=fatal component=host event=fatal_signal signal=SIGBUS\n"},
    {SIGFPE, "level=fatal component=host event=fatal_signal signal=SIGFPE\n"},
    {SIGILL, "level=fatal component=host event=fatal_signal signal=SIGILL\n"},
    {SIGABRT, "level=fatal component=host event=fatal_signal signal=SIGABRT\n"},
}};

// Process-wide by nature: a signal handler can reach nothing else. Written once by install().
int g_log_fd = STDERR_FILENO;

void report(int number) {
    for (const FatalSignal& fatal : kFatalSignals) {
        if (fatal.number == number) {
            const ssize_t written = ::write(g_log_fd, fatal.line, std::strlen(fatal.line));
            (void)written;
        }
    }
    // SA_RESETHAND restored the default action: dying of the same signal keeps the exit
    // status (and core dump) the operator would have seen without this handler.
    ::raise(number);
}

class AlternateStack final {
public:
    AlternateStack() : memory_(std::malloc(kSize)) {
        if (memory_ == nullptr) {
            return;
        }
        stack_t stack{};
        stack.ss_sp = memory_;
        stack.ss_size = kSize;
        ::sigaltstack(&stack, nullptr);
    }
    ~AlternateStack() {
        if (memory_ != nullptr) {
            stack_t disable{};
            disable.ss_flags = SS_DISABLE;
            ::sigaltstack(&disable, nullptr);
            std::free(memory_);
        }
    }
    AlternateStack(const AlternateStack&) = delete;
    AlternateStack& operator=(const AlternateStack&) = delete;

private:
    static constexpr std::size_t kSize = 64 * 1024;
    void* memory_;
};

}  // namespace

void install(const std::string& log_file) {
    if (!log_file.empty()) {
        const int fd = ::open(log_file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
        if (fd >= 0) {
            g_log_fd = fd;
        }
    }
    prepareThread();
    struct sigaction action {};
    action.sa_handler = report;
    action.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&action.sa_mask);
    for (const FatalSignal& fatal : kFatalSignals) {
        ::sigaction(fatal.number, &action, nullptr);
    }
}

void prepareThread() noexcept {
    thread_local const AlternateStack stack;
    (void)stack;
}

}  // namespace sluice::core::observability::fatal_signal
