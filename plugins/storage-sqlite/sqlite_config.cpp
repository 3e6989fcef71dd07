#include "sqlite_config.hpp"

#include <limits>

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::storage_sqlite {

namespace field = sdk::field;

sdk::ConfigSchema sqliteConfigSchema() {
    return {
        field::string("path",
                      "Database file, relative to the working directory; its parent directory "
                      "is created when missing")
            .defaultsTo("var/sluice.db"),
        field::duration("busy_timeout",
                        "How long a write waits for another process (e.g. the CLI) to release "
                        "the database lock before failing as unavailable")
            .defaultsTo("5s"),
        field::string("synchronous",
                      "normal: commits survive a killed process; full: they also survive an "
                      "operating system crash or power loss, at the cost of an fsync per commit")
            .oneOf({"normal", "full"})
            .defaultsTo("normal"),
    };
}

SqliteConfig parseSqliteConfig(const sdk::ConfigNode& node) {
    SqliteConfig config;

    config.path = sdk::config::getString(node, "path");
    if (config.path.empty()) {
        throw sdk::ConfigError(sdk::config::child(node, "path").path(), "must not be empty");
    }

    config.busy_timeout = sdk::config::getDuration(node, "busy_timeout");
    if (config.busy_timeout.count() > std::numeric_limits<int>::max()) {
        throw sdk::ConfigError(sdk::config::child(node, "busy_timeout").path(),
                               "must be shorter than 24 days");
    }

    const std::string synchronous = sdk::config::getString(node, "synchronous");
    if (synchronous == "normal") {
        config.synchronous = SyncMode::Normal;
    } else if (synchronous == "full") {
        config.synchronous = SyncMode::Full;
    } else {
        throw sdk::ConfigError(sdk::config::child(node, "synchronous").path(),
                               "expected normal or full, got '" + synchronous + "'");
    }
    return config;
}

const char* syncModeName(SyncMode mode) noexcept {
    return mode == SyncMode::Full ? "full" : "normal";
}

}  // namespace sluice::plugins::storage_sqlite
