#include "host_allow_list.hpp"

#include <algorithm>

#include "sluice/sdk/http.hpp"

namespace sluice::plugins::route_admin {

namespace {

bool anyEquals(const std::vector<std::string>& names, std::string_view host) {
    return std::any_of(names.begin(), names.end(),
                       [&](const std::string& name) { return sdk::equalsIgnoreCase(name, host); });
}

}  // namespace

HostAllowList::HostAllowList(std::vector<std::string> extra_hosts,
                             const sdk::HostSettings* settings)
    : extra_hosts_(std::move(extra_hosts)), settings_(settings) {}

bool HostAllowList::allows(std::string_view host) const {
    if (anyEquals(extra_hosts_, host)) {
        return true;
    }
    if (settings_ == nullptr) {
        return false;
    }
    const sdk::ListenAddress listen = settings_->listenAddress();
    const std::string port = ":" + std::to_string(listen.port);
    const std::vector<std::string> listened{
        listen.host, listen.host + port, "localhost" + port, "127.0.0.1" + port, "[::1]" + port,
    };
    return anyEquals(listened, host);
}

}  // namespace sluice::plugins::route_admin
