#include "tests/support/child_process.hpp"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sluice::tests {

pid_t spawnChild(const std::vector<std::string>& argv, const std::filesystem::path& log,
                 const passwd* account, int death_signal) {
    const std::string log_path = log.string();
    std::vector<char*> args;
    for (const std::string& arg : argv) {
        args.push_back(const_cast<char*>(arg.c_str()));
    }
    args.push_back(nullptr);

    const pid_t parent = ::getpid();
    const pid_t child = ::fork();
    if (child < 0) {
        throw std::runtime_error("fork failed");
    }
    if (child == 0) {
        // Only async-signal-safe calls from here to exec.
        const int out = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (out >= 0) {
            ::dup2(out, STDOUT_FILENO);
            ::dup2(out, STDERR_FILENO);
        }
        if (account != nullptr &&
            (::setgid(account->pw_gid) != 0 || ::setuid(account->pw_uid) != 0)) {
            ::_exit(126);
        }
        // Set after setuid, which clears it; the getppid check closes the race with a parent
        // that already died.
        ::prctl(PR_SET_PDEATHSIG, death_signal);
        if (::getppid() != parent) {
            ::_exit(125);
        }
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    return child;
}

bool waitForSuccess(pid_t child) {
    int status = 0;
    ::waitpid(child, &status, 0);
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

bool hasExited(pid_t child) {
    int status = 0;
    return ::waitpid(child, &status, WNOHANG) == child;
}

void stopChild(pid_t& child, int signal) noexcept {
    if (child > 0) {
        ::kill(child, signal);
        int status = 0;
        ::waitpid(child, &status, 0);
        child = -1;
    }
}

std::string logTail(const std::filesystem::path& log) {
    std::ifstream in(log);
    std::stringstream text;
    text << in.rdbuf();
    const std::string content = text.str();
    constexpr std::size_t kTail = 4000;
    return content.size() > kTail ? content.substr(content.size() - kTail) : content;
}

std::uint16_t freeLoopbackPort() {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        throw std::runtime_error("cannot open a socket to find a free port");
    }
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(address);
    const bool found = ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                       ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
    ::close(fd);
    if (!found) {
        throw std::runtime_error("cannot find a free loopback port");
    }
    return ntohs(address.sin_port);
}

}  // namespace sluice::tests
