#pragma once

// Server processes that tests start themselves (PostgreSQL, Redis): spawned with their output
// appended to a log file, dying with the test binary, stopped by signal.

#include <pwd.h>
#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sluice::tests {

/// Starts `argv` (argv[0] an absolute path) with standard output and error appended to `log`,
/// as `account` when given (tests running as root). The child gets `death_signal` if the test
/// binary dies first, so a crash never leaves a server behind. Throws std::runtime_error when
/// fork fails.
pid_t spawnChild(const std::vector<std::string>& argv, const std::filesystem::path& log,
                 const passwd* account, int death_signal);

/// Waits for `child` to exit; true when it exited with status 0.
bool waitForSuccess(pid_t child);

/// True when `child` has already exited (it is reaped then).
bool hasExited(pid_t child);

/// Sends `signal` to `child` (when > 0), waits for it, and sets it to -1.
void stopChild(pid_t& child, int signal) noexcept;

/// The last 4000 bytes of a log file, for an exception's message.
std::string logTail(const std::filesystem::path& log);

/// A loopback TCP port nobody listened on a moment ago, for a server that cannot bind port 0
/// itself and report it.
std::uint16_t freeLoopbackPort();

}  // namespace sluice::tests
