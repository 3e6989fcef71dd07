#include "redis_config.hpp"

#include <charconv>

#include "sluice/sdk/config_values.hpp"

namespace sluice::plugins::state_redis {

namespace field = sdk::field;

namespace {

constexpr std::chrono::milliseconds kLongestWait = std::chrono::minutes(10);

std::chrono::milliseconds boundedDuration(const sdk::ConfigNode& node, std::string_view key) {
    const auto value = sdk::config::getDuration(node, key);
    if (value.count() <= 0 || value > kLongestWait) {
        throw sdk::ConfigError(sdk::config::child(node, key).path(),
                               "must be longer than 0s and at most 10m");
    }
    return value;
}

// `host:port`, the host a name, an IPv4 address or a bracketed IPv6 address.
void parseAddress(const sdk::ConfigNode& node, RedisConfig& config) {
    const std::string address = sdk::config::getString(node, "address");
    const std::string& where = sdk::config::child(node, "address").path();
    const auto colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) {
        throw sdk::ConfigError(where, "expected host:port, e.g. 127.0.0.1:6379");
    }
    std::string host = address.substr(0, colon);
    if (host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    unsigned port = 0;
    const char* first = address.data() + colon + 1;
    const char* last = address.data() + address.size();
    const auto [end, error] = std::from_chars(first, last, port);
    if (error != std::errc() || end != last || port == 0 || port > 65535 || host.empty()) {
        throw sdk::ConfigError(where, "expected host:port with a port from 1 to 65535");
    }
    config.host = host;
    config.port = static_cast<std::uint16_t>(port);
}

}  // namespace

std::string bindingsChannel(const RedisConfig& config) {
    return config.channel + ":bindings";
}

std::string blocksChannel(const RedisConfig& config) {
    return config.channel + ":blocks";
}

sdk::ConfigSchema redisConfigSchema() {
    return {
        field::string("address", "The Redis server as host:port").defaultsTo("127.0.0.1:6379"),
        field::string("password",
                      "Sent with AUTH when not empty; give it as password#env, never logged")
            .defaultsTo("\"\"")
            .sensitive(),
        field::string("channel",
                      "Pub/sub channel of change notifications, shared by every replica of one "
                      "install (pub/sub ignores the database number); also the prefix of this "
                      "install's keys and of its <channel>:bindings and <channel>:blocks channels")
            .defaultsTo("sluice:changes"),
        field::duration("connect_timeout", "Longest wait for one connection to the server")
            .defaultsTo("200ms"),
        field::duration("call_timeout",
                        "Longest wait for one command's answer, and for opening a connection: "
                        "the most a request waits on Redis")
            .defaultsTo("50ms"),
        field::duration("reconnect_interval",
                        "Wait between attempts to reach the server while it is unreachable")
            .defaultsTo("1s"),
        field::duration("keepalive",
                        "After this long without a word from the server the subscription sends "
                        "PING, and takes the link as lost when that goes unanswered as long "
                        "(a half-open connection would otherwise go unnoticed)")
            .defaultsTo("5s"),
    };
}

RedisConfig parseRedisConfig(const sdk::ConfigNode& node) {
    RedisConfig config;
    parseAddress(node, config);
    config.password = sdk::config::getString(node, "password");
    config.channel = sdk::config::getString(node, "channel");
    if (config.channel.empty()) {
        throw sdk::ConfigError(sdk::config::child(node, "channel").path(), "must not be empty");
    }
    config.connect_timeout = boundedDuration(node, "connect_timeout");
    config.call_timeout = boundedDuration(node, "call_timeout");
    config.reconnect_interval = boundedDuration(node, "reconnect_interval");
    config.keepalive = boundedDuration(node, "keepalive");
    return config;
}

}  // namespace sluice::plugins::state_redis
