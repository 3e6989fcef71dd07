#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::storage_postgres {

/// The parsed `storage.config` of the postgres backend. Plain value; copy freely. `uri` and
/// `password` are secrets: never log them.
struct PostgresConfig {
    std::string uri;       ///< libpq connection URI or key=value string
    std::string password;  ///< overrides a password in `uri` when not empty
    std::uint32_t pool_size = 0;
    std::chrono::milliseconds connect_timeout{};
    std::chrono::milliseconds acquire_timeout{};
    std::chrono::milliseconds statement_timeout{};
};

/// The factory's schema; the only place defaults are written down.
sdk::ConfigSchema postgresConfigSchema();

/// Reads a host-validated config node (config time); throws sdk::ConfigError naming the path.
PostgresConfig parsePostgresConfig(const sdk::ConfigNode& node);

/// libpq keyword/value pairs for PQconnectdbParams: `uri` first (expanded), then the settings
/// this config owns, which therefore win over the same settings written in the URI; the URI's
/// own server `options` are kept ahead of the statement timeout.
std::vector<std::pair<std::string, std::string>> connectionParameters(const PostgresConfig& config);

}  // namespace sluice::plugins::storage_postgres
