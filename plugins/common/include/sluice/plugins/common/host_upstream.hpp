#pragma once

// The host's upstream identity (client_version and the upstream path prefixes), declared once
// in the pipeline's `upstream:` section and read by every family that builds upstream requests.

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/host_services.hpp"
#include "sluice/sdk/host_settings.hpp"

namespace sluice::plugins::common {

/// What `host` lends as sdk::HostUpstream. Config time (a factory's create): throws
/// sdk::ConfigError at `config`'s path when the host lends none.
sdk::UpstreamIdentity upstreamIdentityOf(sdk::HostServices& host, const sdk::ConfigNode& config);

}  // namespace sluice::plugins::common
