#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/host_settings.hpp"

namespace sluice::plugins::route_admin {

/// Which Host header values the admin surface answers: the configured extras, the gateway's
/// listen address (host:port and host) and localhost, 127.0.0.1, [::1] with the listen port.
/// The listen address is read per call, so a port bound at startup (`:0`) counts. Without host
/// settings (a host that is not serving) only the extras are allowed. Thread-safe.
class HostAllowList final {
public:
    HostAllowList(std::vector<std::string> extra_hosts, const sdk::HostSettings* settings);

    /// Whether `host` (the Host header's value) is allowed; compared case-insensitively.
    bool allows(std::string_view host) const;

private:
    std::vector<std::string> extra_hosts_;
    const sdk::HostSettings* settings_;
};

}  // namespace sluice::plugins::route_admin
