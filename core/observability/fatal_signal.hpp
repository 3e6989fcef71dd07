#pragma once

#include <string>

namespace sluice::core::observability {

/// Makes a crash leave a trace: when the process dies of SIGSEGV, SIGBUS, SIGFPE, SIGILL or
/// SIGABRT, one log line naming the signal is written (straight to the log's file descriptor,
/// as the asynchronous log sink cannot run any more), then the process dies as it would have.
namespace fatal_signal {

/// Installs the handlers for the whole process; `log_file` empty means standard error. Call
/// once, from the main thread, before request threads start (sluice serve).
void install(const std::string& log_file);

/// Gives the calling thread an alternate signal stack, so that a stack overflow on it can still
/// be reported. Cheap after the first call on a thread; the stack is freed when the thread ends.
void prepareThread() noexcept;

}  // namespace fatal_signal

}  // namespace sluice::core::observability
