#pragma once

#include <string>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::route_admin {

struct AdminConfig {
    /// Host header values (host or host:port) the admin surface answers besides the gateway's
    /// listen address and the loopback names with the listen port (DNS-rebinding protection).
    std::vector<std::string> allowed_hosts;
};

sdk::ConfigSchema adminConfigSchema();
AdminConfig parseAdminConfig(const sdk::ConfigNode& config);

}  // namespace sluice::plugins::route_admin
