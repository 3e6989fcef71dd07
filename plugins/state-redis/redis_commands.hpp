#pragma once

#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>

#include <memory>
#include <mutex>
#include <vector>

#include "redis_config.hpp"

namespace sluice::plugins::state_redis {

/// Connections for commands, lent one per call so a caller never waits behind another's
/// command. Opened on demand; opening one and each command are bounded by `call_timeout`. A
/// connection whose call failed is dropped (its state is unknown). Thread-safe.
class RedisCommands final {
public:
    explicit RedisCommands(const RedisConfig& config) : config_(config) {}
    RedisCommands(const RedisCommands&) = delete;
    RedisCommands& operator=(const RedisCommands&) = delete;

    /// Runs `command` and converts its reply to T; throws a Poco::Exception when it fails.
    template <class T>
    T execute(const Poco::Redis::Array& command) {
        auto client = acquire();
        T reply = client->execute<T>(command);
        release(std::move(client));
        return reply;
    }

    /// Drops every idle connection: they went with the server.
    void clear();

private:
    std::unique_ptr<Poco::Redis::Client> acquire();
    void release(std::unique_ptr<Poco::Redis::Client> client);

    const RedisConfig& config_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<Poco::Redis::Client>> idle_;  // guarded by mutex_
};

}  // namespace sluice::plugins::state_redis
