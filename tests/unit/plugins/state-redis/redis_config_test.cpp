#include "plugins/state-redis/redis_config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sluice/sdk/testing/fake_config.hpp"

namespace sluice::plugins::state_redis {
namespace {

using namespace std::chrono_literals;
using sdk::testing::FakeConfig;

struct Keys {
    std::string address = "redis.internal:6380";
    std::string password = "";
    std::string channel = "sluice:changes";
    std::string connect_timeout = "200ms";
    std::string call_timeout = "50ms";
    std::string reconnect_interval = "1s";
    std::string keepalive = "5s";
};

FakeConfig::Ptr config(const Keys& keys) {
    return FakeConfig::map({
        {"address", FakeConfig::scalar(keys.address)},
        {"password", FakeConfig::scalar(keys.password)},
        {"channel", FakeConfig::scalar(keys.channel)},
        {"connect_timeout", FakeConfig::scalar(keys.connect_timeout)},
        {"call_timeout", FakeConfig::scalar(keys.call_timeout)},
        {"reconnect_interval", FakeConfig::scalar(keys.reconnect_interval)},
        {"keepalive", FakeConfig::scalar(keys.keepalive)},
    });
}

/// The ConfigError a bad config raises.
sdk::ConfigError rejection(const Keys& keys) {
    try {
        parseRedisConfig(*config(keys));
    } catch (const sdk::ConfigError& error) {
        return error;
    }
    throw std::runtime_error("the config was accepted");
}

TEST(RedisConfigTest, ReadsEveryKey) {
    Keys keys;
    keys.password = "s3cret";
    const RedisConfig parsed = parseRedisConfig(*config(keys));
    EXPECT_EQ(parsed.host, "redis.internal");
    EXPECT_EQ(parsed.port, 6380);
    EXPECT_EQ(parsed.password, "s3cret");
    EXPECT_EQ(parsed.channel, "sluice:changes");
    EXPECT_EQ(parsed.connect_timeout, 200ms);
    EXPECT_EQ(parsed.call_timeout, 50ms);
    EXPECT_EQ(parsed.reconnect_interval, 1s);
    EXPECT_EQ(parsed.keepalive, 5s);
}

TEST(RedisConfigTest, TakesABracketedIpv6Address) {
    Keys keys;
    keys.address = "[::1]:6379";
    const RedisConfig parsed = parseRedisConfig(*config(keys));
    EXPECT_EQ(parsed.host, "::1");
    EXPECT_EQ(parsed.port, 6379);
}

TEST(RedisConfigTest, RefusesAnAddressWithoutAUsablePortNamingTheKey) {
    for (const std::string address :
         {"redis.internal", "redis.internal:", ":6379", "redis.internal:0", "redis.internal:65536",
          "redis.internal:63x9"}) {
        Keys keys;
        keys.address = address;
        const sdk::ConfigError error = rejection(keys);
        EXPECT_EQ(error.path(), "address") << address;
        EXPECT_NE(error.message().find("host:port"), std::string::npos) << error.message();
    }
}

TEST(RedisConfigTest, RefusesAnEmptyChannel) {
    Keys keys;
    keys.channel = "";
    EXPECT_EQ(rejection(keys).path(), "channel");
}

TEST(RedisConfigTest, RefusesZeroAndVeryLongWaits) {
    for (const std::string key :
         {"connect_timeout", "call_timeout", "reconnect_interval", "keepalive"}) {
        for (const std::string value : {"0s", "11m"}) {
            Keys keys;
            (key == "connect_timeout"      ? keys.connect_timeout
             : key == "call_timeout"       ? keys.call_timeout
             : key == "reconnect_interval" ? keys.reconnect_interval
                                           : keys.keepalive) = value;
            EXPECT_EQ(rejection(keys).path(), key) << value;
        }
    }
}

TEST(RedisConfigTest, ThePasswordIsASecret) {
    for (const sdk::ConfigField& field : redisConfigSchema()) {
        EXPECT_EQ(field.secret, field.key == "password") << field.key;
    }
}

}  // namespace
}  // namespace sluice::plugins::state_redis
