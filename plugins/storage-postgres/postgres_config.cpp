#include "postgres_config.hpp"

#include <libpq-fe.h>

#include <limits>
#include <memory>

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::storage_postgres {

namespace field = sdk::field;

namespace {

constexpr std::int64_t kMaxPoolSize = 64;

std::chrono::milliseconds positiveDuration(const sdk::ConfigNode& node, std::string_view key) {
    const auto value = sdk::config::getDuration(node, key);
    if (value.count() <= 0) {
        throw sdk::ConfigError(sdk::config::child(node, key).path(), "must be longer than 0s");
    }
    if (value.count() > std::numeric_limits<int>::max()) {
        throw sdk::ConfigError(sdk::config::child(node, key).path(),
                               "must be shorter than 24 days");
    }
    return value;
}

// libpq parses the URI itself; its message names the offending part, never the password.
void checkUri(const sdk::ConfigNode& node, const std::string& uri) {
    const std::string& where = sdk::config::child(node, "uri").path();
    if (uri.empty()) {
        throw sdk::ConfigError(where, "must not be empty");
    }
    char* error = nullptr;
    PQconninfoOption* options = PQconninfoParse(uri.c_str(), &error);
    if (options == nullptr) {
        const std::string message = error != nullptr ? error : "out of memory";
        PQfreemem(error);
        throw sdk::ConfigError(where, "not a valid PostgreSQL connection URI: " + message);
    }
    PQconninfoFree(options);
}

/// The value `uri` gives `keyword`, or empty. `uri` has already passed checkUri().
std::string uriSetting(const std::string& uri, std::string_view keyword) {
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(
        PQconninfoParse(uri.c_str(), nullptr), &PQconninfoFree);
    for (const PQconninfoOption* option = options.get(); option != nullptr && option->keyword;
         ++option) {
        if (keyword == option->keyword && option->val != nullptr) {
            return option->val;
        }
    }
    return {};
}

}  // namespace

sdk::ConfigSchema postgresConfigSchema() {
    return {
        field::string("uri",
                      "libpq connection URI (postgresql://user@host:port/database?sslmode=...) "
                      "or key=value string; may carry a password, so it is never logged")
            .mandatory()
            .sensitive(),
        field::string("password",
                      "Password for the URI's user, usually given as password#env; overrides a "
                      "password in uri when set")
            .defaultsTo("\"\"")
            .sensitive(),
        field::integer("pool_size",
                       "Connections kept open to the server; repository calls beyond this many "
                       "at once wait for a free one")
            .between(1, kMaxPoolSize)
            .defaultsTo("4"),
        field::duration("connect_timeout",
                        "How long opening one connection may take before the server counts as "
                        "unavailable (whole seconds; at least 1s)")
            .defaultsTo("5s"),
        field::duration("acquire_timeout",
                        "How long a repository call waits for a free pooled connection before "
                        "failing as unavailable")
            .defaultsTo("5s"),
        field::duration("statement_timeout",
                        "Longest a single statement may run on the server before it is cancelled "
                        "and the call fails as unavailable")
            .defaultsTo("30s"),
    };
}

PostgresConfig parsePostgresConfig(const sdk::ConfigNode& node) {
    PostgresConfig config;
    config.uri = sdk::config::getString(node, "uri");
    checkUri(node, config.uri);
    config.password = sdk::config::getString(node, "password");

    const std::int64_t pool_size = sdk::config::getInt(node, "pool_size");
    if (pool_size < 1 || pool_size > kMaxPoolSize) {
        throw sdk::ConfigError(sdk::config::child(node, "pool_size").path(),
                               "must be between 1 and " + std::to_string(kMaxPoolSize));
    }
    config.pool_size = static_cast<std::uint32_t>(pool_size);

    config.connect_timeout = positiveDuration(node, "connect_timeout");
    if (config.connect_timeout < std::chrono::seconds(1)) {
        throw sdk::ConfigError(sdk::config::child(node, "connect_timeout").path(),
                               "must be at least 1s (libpq counts whole seconds)");
    }
    config.acquire_timeout = positiveDuration(node, "acquire_timeout");
    config.statement_timeout = positiveDuration(node, "statement_timeout");
    return config;
}

std::vector<std::pair<std::string, std::string>> connectionParameters(
    const PostgresConfig& config) {
    // Server options the URI sets (e.g. a search_path) are kept: ours are appended after them.
    std::string options = uriSetting(config.uri, "options");
    options += (options.empty() ? "" : " ");
    options += "-c statement_timeout=" + std::to_string(config.statement_timeout.count());

    std::vector<std::pair<std::string, std::string>> parameters{
        {"dbname", config.uri},
        {"connect_timeout",
         std::to_string(
             std::chrono::duration_cast<std::chrono::seconds>(config.connect_timeout).count())},
        {"options", options},
        {"fallback_application_name", "sluice"},
    };
    if (!config.password.empty()) {
        parameters.emplace_back("password", config.password);
    }
    return parameters;
}

}  // namespace sluice::plugins::storage_postgres
