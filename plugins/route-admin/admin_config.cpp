#include "admin_config.hpp"

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::route_admin {

namespace field = sdk::field;
namespace cfg = sdk::config;

sdk::ConfigSchema adminConfigSchema() {
    return {
        field::stringList(
            "allowed_hosts",
            "Host header values (host or host:port) served besides the listen address "
            "and localhost, 127.0.0.1, [::1] with the listen port; others get 421")
            .defaultsTo("[]"),
    };
}

AdminConfig parseAdminConfig(const sdk::ConfigNode& config) {
    AdminConfig parsed;
    parsed.allowed_hosts = cfg::getStringList(config, "allowed_hosts");
    return parsed;
}

}  // namespace sluice::plugins::route_admin
