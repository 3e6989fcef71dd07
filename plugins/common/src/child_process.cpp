#include "sluice/plugins/common/child_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace sluice::plugins::common {

namespace {

constexpr std::chrono::milliseconds kReapPollInterval{10};

struct Pipe {
    int read = -1;
    int write = -1;
};

void closeFd(int& fd) noexcept {
    if (fd >= 0) {
        ::close(fd);
        fd = -1;
    }
}

bool makePipe(Pipe& pipe) noexcept {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        return false;
    }
    pipe.read = fds[0];
    pipe.write = fds[1];
    return true;
}

std::string pathOf(const std::vector<std::string>& env) {
    for (const std::string& entry : env) {
        if (entry.rfind("PATH=", 0) == 0) {
            return entry.substr(5);
        }
    }
    return "/usr/local/bin:/usr/bin:/bin";
}

// posix_spawnp would search the gateway's own PATH; the child's environment decides instead.
std::string resolveExecutable(const std::string& name, const std::vector<std::string>& env) {
    if (name.find('/') != std::string::npos) {
        return name;
    }
    const std::string path = pathOf(env);
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find(':', start), path.size());
        const std::string dir = end > start ? path.substr(start, end - start) : ".";
        const std::string candidate = dir + "/" + name;
        if (::access(candidate.c_str(), X_OK) == 0) {
            return candidate;
        }
        start = end + 1;
    }
    return {};
}

std::vector<char*> pointers(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const std::string& s : strings) {
        out.push_back(const_cast<char*>(s.c_str()));
    }
    out.push_back(nullptr);
    return out;
}

ChildExit exitOf(int status) noexcept {
    if (WIFEXITED(status)) {
        return {WEXITSTATUS(status), 0};
    }
    if (WIFSIGNALED(status)) {
        return {128 + WTERMSIG(status), WTERMSIG(status)};
    }
    return {};
}

// Attributes: a new process group led by the child, default dispositions for the signals a
// server ignores (SIGPIPE) and an empty signal mask.
int prepareAttributes(posix_spawnattr_t& attr) noexcept {
    sigset_t defaults;
    sigset_t empty;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    sigemptyset(&empty);
    int rc = posix_spawnattr_init(&attr);
    rc = rc != 0 ? rc : posix_spawnattr_setpgroup(&attr, 0);
    rc = rc != 0 ? rc : posix_spawnattr_setsigdefault(&attr, &defaults);
    rc = rc != 0 ? rc : posix_spawnattr_setsigmask(&attr, &empty);
    const short flags = POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK;
    return rc != 0 ? rc : posix_spawnattr_setflags(&attr, flags);
}

// `err` without descriptors: the child's stderr goes to /dev/null.
int prepareFileActions(posix_spawn_file_actions_t& actions, const Pipe& in, const Pipe& out,
                       const Pipe& err, const std::string& cwd) noexcept {
    int rc = posix_spawn_file_actions_init(&actions);
    rc = rc != 0 ? rc : posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
    rc = rc != 0 ? rc : posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
    if (err.write >= 0) {
        rc = rc != 0 ? rc : posix_spawn_file_actions_adddup2(&actions, err.write, STDERR_FILENO);
    } else {
        rc = rc != 0 ? rc
                     : posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null",
                                                        O_WRONLY, 0);
    }
    // Descriptors the gateway opened without O_CLOEXEC (sockets, databases) stay with it.
    rc = rc != 0 ? rc : posix_spawn_file_actions_addclosefrom_np(&actions, STDERR_FILENO + 1);
    if (rc == 0 && !cwd.empty()) {
        rc = posix_spawn_file_actions_addchdir_np(&actions, cwd.c_str());
    }
    return rc;
}

}  // namespace

sdk::Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(const ChildSpec& spec) {
    if (spec.argv.empty()) {
        return sdk::Status(sdk::StatusCode::InvalidArgument, "no program to run");
    }
    const std::string program = resolveExecutable(spec.argv.front(), spec.env);
    if (program.empty()) {
        return sdk::Status(sdk::StatusCode::FailedPrecondition,
                           "program '" + spec.argv.front() + "' not found on the child's PATH");
    }
    Pipe in;
    Pipe out;
    Pipe err;
    const bool capture_stderr = spec.stderr_mode == ChildStderr::Capture;
    if (!makePipe(in) || !makePipe(out) || (capture_stderr && !makePipe(err))) {
        for (int* fd : {&in.read, &in.write, &out.read, &out.write, &err.read, &err.write}) {
            closeFd(*fd);
        }
        return sdk::Status(sdk::StatusCode::Unavailable, "cannot create pipes for the child");
    }
    posix_spawnattr_t attr;
    posix_spawn_file_actions_t actions;
    int rc = prepareAttributes(attr);
    rc = rc != 0 ? rc : prepareFileActions(actions, in, out, err, spec.cwd);
    pid_t pid = -1;
    if (rc == 0) {
        std::vector<char*> argv = pointers(spec.argv);
        std::vector<char*> envp = pointers(spec.env);
        rc = posix_spawn(&pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
    }
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    closeFd(in.read);
    closeFd(out.write);
    closeFd(err.write);
    if (rc != 0) {
        closeFd(in.write);
        closeFd(out.read);
        closeFd(err.read);
        return sdk::Status(sdk::StatusCode::Unavailable,
                           "cannot start '" + spec.argv.front() + "': " + std::strerror(rc));
    }
    ::fcntl(in.write, F_SETFL, O_NONBLOCK);
    return std::unique_ptr<ChildProcess>(new ChildProcess(pid, in.write, out.read, err.read));
}

ChildProcess::ChildProcess(pid_t pid, int stdin_fd, int stdout_fd, int stderr_fd)
    : pid_(pid), stdin_fd_(stdin_fd), stdout_fd_(stdout_fd), stderr_fd_(stderr_fd) {}

ChildProcess::~ChildProcess() {
    closeStdin();
    if (!exit_) {
        terminate(std::chrono::milliseconds(500));
    }
    closeFd(stdout_fd_);
    closeFd(stderr_fd_);
}

void ChildProcess::feed(std::string_view bytes) {
    const std::lock_guard lock(stdin_mutex_);
    pending_stdin_.append(bytes);
    pumpStdin();
}

void ChildProcess::closeStdinWhenDrained() {
    const std::lock_guard lock(stdin_mutex_);
    close_stdin_when_drained_ = true;
    pumpStdin();
}

void ChildProcess::closeStdin() {
    const std::lock_guard lock(stdin_mutex_);
    pending_stdin_.clear();
    closeFd(stdin_fd_);
}

namespace {

// A write to a pipe whose reader is gone raises SIGPIPE, which would end the gateway unless it
// ignores the signal: block it for this thread around the write and discard the one raised.
class SigpipeBlock final {
public:
    SigpipeBlock() {
        sigemptyset(&pipe_);
        sigaddset(&pipe_, SIGPIPE);
        pthread_sigmask(SIG_BLOCK, &pipe_, &previous_);
    }
    ~SigpipeBlock() {
        const timespec zero{0, 0};
        while (sigtimedwait(&pipe_, nullptr, &zero) > 0) {
        }
        pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
    }
    SigpipeBlock(const SigpipeBlock&) = delete;
    SigpipeBlock& operator=(const SigpipeBlock&) = delete;

private:
    sigset_t pipe_{};
    sigset_t previous_{};
};

}  // namespace

// With stdin_mutex_ held.
void ChildProcess::pumpStdin() {
    const SigpipeBlock no_sigpipe;
    while (stdin_fd_ >= 0 && !pending_stdin_.empty()) {
        const ssize_t n = ::write(stdin_fd_, pending_stdin_.data(), pending_stdin_.size());
        if (n > 0) {
            pending_stdin_.erase(0, static_cast<std::size_t>(n));
        } else if (n < 0 && errno == EINTR) {
            continue;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            return;
        } else {
            pending_stdin_.clear();  // the child closed its stdin: nothing more will be read
            closeFd(stdin_fd_);
        }
    }
    if (pending_stdin_.empty() && close_stdin_when_drained_) {
        closeFd(stdin_fd_);
    }
}

void ChildProcess::readFrom(int& fd, ChildStream stream, std::vector<ChildOutput>& out) {
    char buffer[16384];
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n > 0) {
        out.push_back({stream, std::string(buffer, static_cast<std::size_t>(n))});
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        closeFd(fd);
    }
}

std::vector<ChildOutput> ChildProcess::read(Clock::time_point deadline) {
    std::vector<ChildOutput> out;
    while (out.empty() && !outputClosed()) {
        pollfd fds[3] = {{stdout_fd_, POLLIN, 0}, {stderr_fd_, POLLIN, 0}, {-1, POLLOUT, 0}};
        {
            const std::lock_guard lock(stdin_mutex_);
            if (stdin_fd_ >= 0 && !pending_stdin_.empty()) {
                fds[2].fd = stdin_fd_;
            }
        }
        const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) {
            break;
        }
        const int ready = ::poll(fds, 3, static_cast<int>(left.count()));
        if (ready < 0 && errno != EINTR) {
            break;
        }
        if (ready <= 0) {
            continue;
        }
        if (fds[2].revents != 0) {
            const std::lock_guard lock(stdin_mutex_);
            pumpStdin();
        }
        if (fds[0].revents != 0) {
            readFrom(stdout_fd_, ChildStream::Stdout, out);
        }
        if (fds[1].revents != 0) {
            readFrom(stderr_fd_, ChildStream::Stderr, out);
        }
    }
    return out;
}

bool ChildProcess::writeLine(std::string_view line) {
    const std::lock_guard lock(stdin_mutex_);
    if (stdin_fd_ < 0) {
        return false;
    }
    pending_stdin_.append(line);
    pending_stdin_ += '\n';
    pumpStdin();
    while (stdin_fd_ >= 0 && !pending_stdin_.empty()) {
        pollfd writable{stdin_fd_, POLLOUT, 0};
        if (::poll(&writable, 1, -1) < 0 && errno != EINTR) {
            pending_stdin_.clear();
            closeFd(stdin_fd_);
            break;
        }
        pumpStdin();  // a child that went away makes this fail and close stdin
    }
    return stdin_fd_ >= 0;
}

std::optional<std::string> ChildProcess::readLine(std::size_t max_line) {
    while (true) {
        if (const auto newline = line_buffer_.find('\n'); newline != std::string::npos) {
            std::string line = line_buffer_.substr(0, std::min(newline, max_line));
            line_buffer_.erase(0, newline + 1);
            return line;
        }
        char chunk[65536];
        const ssize_t n = stdout_fd_ < 0 ? 0 : ::read(stdout_fd_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (line_buffer_.empty()) {
                return std::nullopt;
            }
            std::string last = std::move(line_buffer_);
            line_buffer_.clear();
            return last.substr(0, max_line);
        }
        const auto size = static_cast<std::size_t>(n);
        if (line_buffer_.size() <= max_line) {
            line_buffer_.append(chunk, size);
        } else if (const auto* nl = static_cast<const char*>(std::memchr(chunk, '\n', size))) {
            line_buffer_.append(nl, static_cast<std::size_t>(chunk + size - nl));  // keeps the '\n'
        }
    }
}

std::optional<ChildExit> ChildProcess::wait(Clock::time_point deadline) {
    while (!exit_) {
        siginfo_t info{};
        // WNOWAIT keeps the leader a zombie, so its pid (the group id) cannot be reused while
        // the rest of the group is swept.
        if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
            info.si_pid == pid_) {
            ::kill(-pid_, SIGKILL);
            exit_ = reap();
            break;
        }
        if (Clock::now() >= deadline) {
            return std::nullopt;
        }
        std::this_thread::sleep_for(kReapPollInterval);
    }
    return exit_;
}

void ChildProcess::kill() noexcept {
    if (!reaped_.load()) {
        ::kill(-pid_, SIGKILL);
    }
}

ChildExit ChildProcess::terminate(std::chrono::milliseconds grace) {
    if (exit_) {
        return *exit_;
    }
    ::kill(-pid_, SIGTERM);
    if (auto ended = wait(Clock::now() + grace)) {
        return *ended;
    }
    ::kill(-pid_, SIGKILL);
    exit_ = reap();
    return *exit_;
}

ChildExit ChildProcess::reap() {
    reaped_ = true;  // from here on the pid may be reused: kill() leaves it alone
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0) {
        if (errno != EINTR) {
            return {};
        }
    }
    return exitOf(status);
}

bool processGroupAlive(pid_t pgid) noexcept {
    // kill(-pgid, 0) would also count zombies waiting for an init that reaps slowly.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) {
            continue;
        }
        // pid (comm) state ppid pgrp ...; comm may contain spaces and parentheses.
        const std::size_t close = line.rfind(')');
        if (close == std::string::npos) {
            continue;
        }
        std::istringstream fields(line.substr(close + 1));
        char state = 0;
        long ppid = 0;
        long pgrp = 0;
        if (fields >> state >> ppid >> pgrp && pgrp == pgid && state != 'Z' && state != 'X') {
            return true;
        }
    }
    return false;
}

}  // namespace sluice::plugins::common
