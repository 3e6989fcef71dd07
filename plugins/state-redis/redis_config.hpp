#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "sluice/sdk/config.hpp"
#include "sluice/sdk/config_schema.hpp"

namespace sluice::plugins::state_redis {

/// The parsed `shared_state.config` of the redis state. Plain value; copy freely. `password` is
/// a secret: never log it.
struct RedisConfig {
    std::string host;
    std::uint16_t port = 0;
    std::string password;  ///< sent with AUTH when not empty
    std::string channel;   ///< the pub/sub channel every replica of one install shares
    std::chrono::milliseconds connect_timeout{};
    std::chrono::milliseconds call_timeout{};
    std::chrono::milliseconds reconnect_interval{};
    std::chrono::milliseconds keepalive{};  ///< quiet subscription: PING, then as long for its pong
};

/// The channel account bindings are announced on, next to the change notifications'.
std::string bindingsChannel(const RedisConfig& config);

/// The channel usage-limit blocks are announced on.
std::string blocksChannel(const RedisConfig& config);

/// The factory's schema; the only place defaults are written down.
sdk::ConfigSchema redisConfigSchema();

/// Reads a host-validated config node (config time); throws sdk::ConfigError naming the path.
RedisConfig parseRedisConfig(const sdk::ConfigNode& node);

}  // namespace sluice::plugins::state_redis
