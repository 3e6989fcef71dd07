#include "core/app/service_notifier.hpp"

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstddef>
#include <cstdlib>
#include <cstring>

namespace sluice::core::app {

ServiceNotifier::ServiceNotifier(std::string socket_path) : socket_path_(std::move(socket_path)) {}

ServiceNotifier ServiceNotifier::fromEnvironment() {
    const char* path = std::getenv("NOTIFY_SOCKET");  // NOLINT(concurrency-mt-unsafe)
    return ServiceNotifier(path != nullptr ? path : "");
}

bool ServiceNotifier::notify(std::string_view state) const noexcept {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (socket_path_.empty() || socket_path_.size() >= sizeof(address.sun_path)) {
        return false;
    }
    std::memcpy(address.sun_path, socket_path_.data(), socket_path_.size());
    if (address.sun_path[0] == '@') {
        address.sun_path[0] = '\0';  // Linux abstract namespace
    }
    const auto length =
        static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
    const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return false;
    }
    const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL,
                                  reinterpret_cast<const sockaddr*>(&address), length);
    ::close(fd);
    return sent == static_cast<ssize_t>(state.size());
}

}  // namespace sluice::core::app
