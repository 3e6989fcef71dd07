#pragma once

#include <string>
#include <string_view>

namespace sluice::core::app {

/// Tells a service manager how `sluice serve` is doing (systemd's Type=notify protocol: one
/// datagram of `KEY=value` lines to the unix socket named by $NOTIFY_SOCKET), so it knows when
/// the port is bound and when a stop is draining. Without a socket every call does nothing.
/// Used from the serving thread only.
class ServiceNotifier final {
public:
    /// `socket_path` empty: no service manager. A leading '@' names an abstract socket.
    explicit ServiceNotifier(std::string socket_path);
    /// The socket named by $NOTIFY_SOCKET, if any.
    static ServiceNotifier fromEnvironment();

    bool enabled() const noexcept { return !socket_path_.empty(); }
    /// Sends `state` (e.g. "READY=1") as one datagram. False, never an exception, when there is
    /// no socket or the datagram could not be sent: the gateway serves on either way.
    bool notify(std::string_view state) const noexcept;

private:
    std::string socket_path_;
};

}  // namespace sluice::core::app
