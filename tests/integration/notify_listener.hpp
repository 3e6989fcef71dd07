#pragma once

// The service manager's end of the Type=notify protocol: a unix datagram socket that collects
// what `sluice serve` (or a ServiceNotifier) reports. Shared by unit and integration tests.

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstddef>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>

namespace sluice::integration {

class NotifyListener final {
public:
    /// Binds `path`; a leading '@' binds an abstract socket.
    explicit NotifyListener(std::string path) : path_(std::move(path)) {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        std::memcpy(address.sun_path, path_.data(), path_.size());
        if (path_.front() == '@') {
            address.sun_path[0] = '\0';
        }
        const auto length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path_.size());
        if (fd_ < 0 || ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), length) != 0) {
            throw std::runtime_error("cannot bind notify socket " + path_);
        }
    }
    ~NotifyListener() {
        ::close(fd_);
        if (path_.front() != '@') {
            ::unlink(path_.c_str());
        }
    }
    NotifyListener(const NotifyListener&) = delete;
    NotifyListener& operator=(const NotifyListener&) = delete;

    const std::string& path() const noexcept { return path_; }

    /// The next datagram, or none within `bound`.
    std::optional<std::string> next(std::chrono::milliseconds bound) {
        pollfd ready{fd_, POLLIN, 0};
        if (::poll(&ready, 1, static_cast<int>(bound.count())) != 1) {
            return std::nullopt;
        }
        char buffer[4096];
        const ssize_t got = ::recv(fd_, buffer, sizeof(buffer), 0);
        if (got < 0) {
            return std::nullopt;
        }
        return std::string(buffer, static_cast<std::size_t>(got));
    }

private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace sluice::integration
