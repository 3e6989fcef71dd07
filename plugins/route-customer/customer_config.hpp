#pragma once

#include <cstdint>
#include <string>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::route_customer {

/// Settings of the customer route family.
struct CustomerConfig {
    /// scheme://host[:port] as customers reach the gateway, for the Codex CLI provider block
    /// of GET /me; empty: the listen address.
    std::string public_url;
    std::uint64_t max_body_bytes;  ///< largest request body
};

sdk::ConfigSchema customerConfigSchema();
/// Throws sdk::ConfigError naming the YAML path of a bad value.
CustomerConfig parseCustomerConfig(const sdk::ConfigNode& config);

}  // namespace sluice::plugins::route_customer
