#pragma once

#include <chrono>
#include <string>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::storage_sqlite {

/// How often SQLite syncs to disk. Both survive a killed process; Full also survives power loss.
enum class SyncMode { Normal, Full };

/// The parsed `storage.config` of the sqlite backend. Plain value; copy freely.
struct SqliteConfig {
    std::string path;
    std::chrono::milliseconds busy_timeout{};
    SyncMode synchronous = SyncMode::Normal;
};

/// The factory's schema; the only place defaults are written down.
sdk::ConfigSchema sqliteConfigSchema();

/// Reads a host-validated config node (config time); throws sdk::ConfigError naming the path.
SqliteConfig parseSqliteConfig(const sdk::ConfigNode& node);

/// "normal" or "full", as written in the pipeline and in `PRAGMA synchronous`.
const char* syncModeName(SyncMode mode) noexcept;

}  // namespace sluice::plugins::storage_sqlite
