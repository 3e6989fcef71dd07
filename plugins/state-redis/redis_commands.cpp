#include "redis_commands.hpp"

#include "redis_connection.hpp"

namespace sluice::plugins::state_redis {

namespace {

// Idle connections kept; more callers at once open connections that are closed after use.
constexpr std::size_t kMaxIdle = 16;

}  // namespace

void RedisCommands::clear() {
    std::lock_guard guard(mutex_);
    idle_.clear();
}

std::unique_ptr<Poco::Redis::Client> RedisCommands::acquire() {
    {
        std::lock_guard guard(mutex_);
        if (!idle_.empty()) {
            auto client = std::move(idle_.back());
            idle_.pop_back();
            return client;
        }
    }
    return openRedis(config_, config_.call_timeout);
}

void RedisCommands::release(std::unique_ptr<Poco::Redis::Client> client) {
    std::lock_guard guard(mutex_);
    if (idle_.size() < kMaxIdle) {
        idle_.push_back(std::move(client));
    }
}

}  // namespace sluice::plugins::state_redis
