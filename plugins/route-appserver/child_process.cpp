#include "child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace sluice::plugins::route_appserver {

namespace {

struct Pipe {
    int read = -1;
    int write = -1;
};

// A socket pair rather than a pipe, so writing to a child that died is EPIPE from
// send(MSG_NOSIGNAL) instead of a SIGPIPE that would end the whole gateway.
bool makePipe(Pipe& pipe) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
        return false;
    }
    pipe = {fds[0], fds[1]};
    return true;
}

void closeAll(std::initializer_list<int> fds) {
    for (int fd : fds) {
        if (fd >= 0) {
            ::close(fd);
        }
    }
}

std::vector<char*> pointers(const std::vector<std::string>& strings) {
    std::vector<char*> out;
    out.reserve(strings.size() + 1);
    for (const auto& s : strings) {
        out.push_back(const_cast<char*>(s.c_str()));  // NOLINT: posix_spawn's signature
    }
    out.push_back(nullptr);
    return out;
}

}  // namespace

sdk::Result<std::unique_ptr<ChildProcess>> ChildProcess::spawn(const ChildSpec& spec) {
    if (spec.argv.empty()) {
        return sdk::Status(sdk::StatusCode::InvalidArgument, "no command to run");
    }
    Pipe in;
    Pipe out;
    if (!makePipe(in) || !makePipe(out)) {
        closeAll({in.read, in.write});
        return sdk::Status(sdk::StatusCode::Unavailable, "cannot create pipes");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in.read, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out.write, STDOUT_FILENO);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
    if (!spec.working_directory.empty()) {
        posix_spawn_file_actions_addchdir_np(&actions, spec.working_directory.c_str());
    }
    posix_spawnattr_t attributes;
    posix_spawnattr_init(&attributes);
    posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK);
    posix_spawnattr_setpgroup(&attributes, 0);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&attributes, &none);

    auto argv = pointers(spec.argv);
    auto envp = pointers(spec.environment);
    pid_t pid = -1;
    const int failed =
        ::posix_spawnp(&pid, argv[0], &actions, &attributes, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
    closeAll({in.read, out.write});
    if (failed != 0) {
        closeAll({in.write, out.read});
        return sdk::Status(sdk::StatusCode::Unavailable,
                           "cannot start '" + spec.argv[0] + "': " + std::strerror(failed));
    }
    return std::unique_ptr<ChildProcess>(new ChildProcess(pid, in.write, out.read));
}

ChildProcess::~ChildProcess() {
    terminate(std::chrono::milliseconds(2000));
    closeAll({stdin_, stdout_});
}

bool ChildProcess::writeLine(std::string_view line) {
    std::lock_guard lock(write_mutex_);
    if (stdin_ < 0) {
        return false;
    }
    std::string framed(line);
    framed.push_back('\n');
    std::size_t done = 0;
    while (done < framed.size()) {
        const ssize_t n = ::send(stdin_, framed.data() + done, framed.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::optional<std::string> ChildProcess::readLine(std::size_t max_line) {
    for (;;) {
        if (const auto newline = buffer_.find('\n'); newline != std::string::npos) {
            std::string line = buffer_.substr(0, std::min(newline, max_line));
            buffer_.erase(0, newline + 1);
            return line;
        }
        char chunk[65536];
        const ssize_t n = ::read(stdout_, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            if (buffer_.empty()) {
                return std::nullopt;
            }
            std::string last = std::move(buffer_);
            buffer_.clear();
            return last.substr(0, max_line);
        }
        if (buffer_.size() < max_line + 1) {
            buffer_.append(chunk, static_cast<std::size_t>(n));
        } else if (const char* nl = static_cast<const char*>(std::memchr(chunk, '\n', n))) {
            buffer_.append(nl, static_cast<std::size_t>(chunk + n - nl));  // keeps the newline
        }
    }
}

bool ChildProcess::reaped(bool block) {
    std::lock_guard lock(wait_mutex_);
    if (reaped_) {
        return true;
    }
    int status = 0;
    const pid_t done = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    reaped_ = done == pid_ || (done < 0 && errno == ECHILD);
    return reaped_;
}

void ChildProcess::kill() {
    ::kill(-pid_, SIGKILL);
}

void ChildProcess::terminate(std::chrono::milliseconds grace) {
    {
        std::lock_guard lock(write_mutex_);
        closeAll({stdin_});
        stdin_ = -1;
    }
    if (reaped(false)) {
        return;
    }
    ::kill(-pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (std::chrono::steady_clock::now() < deadline) {
        if (reaped(false)) {
            ::kill(-pid_, SIGKILL);  // whatever the group left behind
            return;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(-pid_, SIGKILL);
    reaped(true);
}

}  // namespace sluice::plugins::route_appserver
