#pragma once

#include <Poco/Net/StreamSocket.h>
#include <Poco/Redis/RedisStream.h>
#include <Poco/Redis/Type.h>

#include <chrono>
#include <optional>
#include <string>

#include "redis_config.hpp"

namespace sluice::plugins::state_redis {

/// A message published on one of the subscribed channels.
struct RedisMessage {
    std::string channel;
    std::string payload;
};

/// One connection subscribed to the configured channel and its bindings and blocks channels. Its
/// own socket rather than a Poco::Redis::Client, whose reads cannot wait with a bound: a receive
/// timeout there reads as a lost connection. One thread uses it.
class RedisSubscriber final {
public:
    /// Connects (bounded by `connect_timeout`), authenticates when a password is set and
    /// subscribes; throws a Poco::Exception when any of it fails.
    explicit RedisSubscriber(const RedisConfig& config);
    RedisSubscriber(const RedisSubscriber&) = delete;
    RedisSubscriber& operator=(const RedisSubscriber&) = delete;

    /// The next message published on a subscribed channel, waiting up to `wait`; nullopt when
    /// none came. Throws a Poco::Exception when the connection is lost, and when a PING sent
    /// after `keepalive` of silence went unanswered for as long again.
    std::optional<RedisMessage> nextMessage(std::chrono::milliseconds wait);

private:
    using Clock = std::chrono::steady_clock;

    /// Sends PING after `keepalive` of silence; throws when the last one is overdue.
    void keepAlive();
    /// Sends `command` and reads its reply, which must not be an error.
    void command(const Poco::Redis::Array& command);
    Poco::Redis::RedisType::Ptr readReply();

    Poco::Net::StreamSocket socket_;
    Poco::Redis::RedisInputStream input_;
    Poco::Redis::RedisOutputStream output_;
    const std::chrono::milliseconds keepalive_;
    Clock::time_point heard_at_ = Clock::now();   ///< the server's last reply of any kind
    std::optional<Clock::time_point> ping_sent_;  ///< a PING not answered yet
};

}  // namespace sluice::plugins::state_redis
