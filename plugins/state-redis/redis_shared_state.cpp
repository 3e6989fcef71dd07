#include "redis_shared_state.hpp"

#include <Poco/Redis/Array.h>

#include <cstdio>
#include <optional>

#include "redis_bindings.hpp"
#include "redis_blocks.hpp"
#include "redis_connection.hpp"
#include "redis_subscriber.hpp"

namespace sluice::plugins::state_redis {

namespace {

using Poco::Redis::Array;
using Poco::Redis::BulkString;

// How often the subscriber looks up from a quiet connection to see whether it should stop.
constexpr std::chrono::milliseconds kStopPoll{100};

// A rolling window as a sorted set of slot ids scored by the server's clock in microseconds
// (one clock for every replica): drop what left the window, refuse when full with the seconds
// until the oldest slot leaves, otherwise add the slot. One script, so one atomic step.
// ARGV: limit, window in milliseconds, slot id.
constexpr const char* kTakeWindowSlot = R"lua(
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local window = tonumber(ARGV[2]) * 1000
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return {0, math.ceil((tonumber(oldest[2]) + window - now) / 1000000)}
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return {1, 0}
)lua";

// SET NX PX answers nil when the key exists; as a script the answer is a plain 1 or 0.
constexpr const char* kTryLock = R"lua(
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
return 0
)lua";

// Deletes the lock only while it is still this replica's.
constexpr const char* kReleaseLock = R"lua(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)lua";

// Stores a binding for its ttl and, when there is a message, publishes it: one round trip.
// ARGV: account id, ttl in milliseconds, bindings channel, message ('' for none).
constexpr const char* kShareBinding = R"lua(
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if ARGV[4] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return 1
)lua";

// Stores a block unless one ending as late or later is there, with the time left to it by the
// server's clock, lists the account and publishes the block. KEYS: the block, the index.
// ARGV: its end in Unix milliseconds, the account id, the blocks channel, the message.
constexpr const char* kShareBlock = R"lua(
local time = redis.call('TIME')
local ttl = tonumber(ARGV[1]) - (tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000))
if ttl <= 0 or tonumber(redis.call('GET', KEYS[1]) or '0') >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('SADD', KEYS[2], ARGV[2])
if redis.call('PTTL', KEYS[2]) < ttl then redis.call('PEXPIRE', KEYS[2], ttl) end
redis.call('PUBLISH', ARGV[3], ARGV[4])
return 1
)lua";

// Every listed account whose block has not expired, as account, end pairs; the expired leave the
// list. KEYS: the index. ARGV: the block keys' prefix.
constexpr const char* kListBlocks = R"lua(
local found = {}
for _, account in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  local ends = redis.call('GET', ARGV[1] .. account)
  if ends then
    table.insert(found, account)
    table.insert(found, ends)
  else
    redis.call('SREM', KEYS[1], account)
  end
end
return found
)lua";

std::string instanceId(sdk::Random& random) {
    char text[17];
    std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(random.next()));
    return text;
}

}  // namespace

RedisSharedState::RedisSharedState(RedisConfig config, sdk::HostServices& host)
    : config_(std::move(config)),
      instance_(instanceId(host.random())),
      bindings_channel_(bindingsChannel(config_)),
      blocks_channel_(blocksChannel(config_)),
      logger_(host.logger("state-redis")),
      commands_(config_) {}

RedisSharedState::~RedisSharedState() {
    stop();
}

sdk::Status RedisSharedState::announce(std::string_view topic) noexcept {
    if (!up_.load()) {
        // Connecting is the subscriber's job: a caller never pays for an unreachable server.
        return {sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    try {
        Array publish;
        publish << "PUBLISH" << BulkString(config_.channel)
                << BulkString(instance_ + " " + std::string(topic));
        commands_.execute<Poco::Int64>(publish);
        return {};
    } catch (const std::exception& error) {
        return {sdk::StatusCode::Unavailable, "cannot publish: " + describeFailure(error)};
    }
}

sdk::Result<sdk::WindowSlot> RedisSharedState::takeWindowSlot(
    std::string_view name, std::uint32_t limit, std::chrono::milliseconds window) noexcept {
    if (!up_.load()) {
        return sdk::Status{sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    try {
        Array eval;
        eval << "EVAL" << BulkString(kTakeWindowSlot) << BulkString("1")
             << BulkString(config_.channel + ":window:" + std::string(name))
             << BulkString(std::to_string(limit)) << BulkString(std::to_string(window.count()))
             << BulkString(instance_ + ":" + std::to_string(++slots_taken_));
        const Array reply = commands_.execute<Array>(eval);
        return sdk::WindowSlot{reply.get<Poco::Int64>(0) == 1, reply.get<Poco::Int64>(1)};
    } catch (const std::exception& error) {
        return sdk::Status{sdk::StatusCode::Unavailable,
                           "cannot take a window slot: " + describeFailure(error)};
    }
}

sdk::Result<bool> RedisSharedState::tryLock(std::string_view name,
                                            std::chrono::milliseconds ttl) noexcept {
    if (!up_.load()) {
        return sdk::Status{sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    try {
        Array eval;
        eval << "EVAL" << BulkString(kTryLock) << BulkString("1")
             << BulkString(config_.channel + ":lock:" + std::string(name)) << BulkString(instance_)
             << BulkString(std::to_string(ttl.count()));
        return commands_.execute<Poco::Int64>(eval) == 1;
    } catch (const std::exception& error) {
        return sdk::Status{sdk::StatusCode::Unavailable,
                           "cannot take a lock: " + describeFailure(error)};
    }
}

void RedisSharedState::releaseLock(std::string_view name) noexcept {
    if (!up_.load()) {
        return;  // it expires by itself
    }
    try {
        Array eval;
        eval << "EVAL" << BulkString(kReleaseLock) << BulkString("1")
             << BulkString(config_.channel + ":lock:" + std::string(name)) << BulkString(instance_);
        commands_.execute<Poco::Int64>(eval);
    } catch (const std::exception& error) {
        logger_.warn("redis_lock_release_failed",
                     {{"lock", std::string(name)}, {"reason", describeFailure(error)}});
    }
}

sdk::Status RedisSharedState::shareBinding(const sdk::AccountBinding& binding,
                                           sdk::BindingChange change) noexcept {
    if (!up_.load()) {
        return {sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    try {
        Array eval;
        eval << "EVAL" << BulkString(kShareBinding) << BulkString("1")
             << BulkString(bindingKey(config_.channel, binding.kind, binding.pool, binding.key))
             << BulkString(binding.account_id) << BulkString(std::to_string(binding.ttl.count()))
             << BulkString(bindings_channel_)
             << BulkString(change == sdk::BindingChange::Moved ? encodeBinding(instance_, binding)
                                                               : std::string());
        commands_.execute<Poco::Int64>(eval);
        return {};
    } catch (const std::exception& error) {
        return {sdk::StatusCode::Unavailable, "cannot share a binding: " + describeFailure(error)};
    }
}

sdk::Result<std::optional<std::string>> RedisSharedState::findBinding(
    sdk::BindingKind kind, std::string_view pool, std::string_view key) noexcept {
    if (!up_.load()) {
        return sdk::Status{sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    try {
        Array get;
        get << "GET" << BulkString(bindingKey(config_.channel, kind, pool, key));
        const auto account = commands_.execute<BulkString>(get);
        return account.isNull() ? std::nullopt : std::optional<std::string>(account.value());
    } catch (const std::exception& error) {
        return sdk::Status{sdk::StatusCode::Unavailable,
                           "cannot read a binding: " + describeFailure(error)};
    }
}

sdk::Status RedisSharedState::shareBlock(const sdk::AccountBlock& block) noexcept {
    if (!up_.load()) {
        return {sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    try {
        Array eval;
        eval << "EVAL" << BulkString(kShareBlock) << BulkString("2")
             << BulkString(blockKey(config_.channel, block.account_id))
             << BulkString(blockIndexKey(config_.channel))
             << BulkString(std::to_string(unixMilliseconds(block.until)))
             << BulkString(block.account_id) << BulkString(blocks_channel_)
             << BulkString(encodeBlock(instance_, block));
        commands_.execute<Poco::Int64>(eval);
        return {};
    } catch (const std::exception& error) {
        return {sdk::StatusCode::Unavailable, "cannot share a block: " + describeFailure(error)};
    }
}

sdk::Result<std::vector<sdk::AccountBlock>> RedisSharedState::blocks() noexcept {
    if (!up_.load()) {
        return sdk::Status{sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    try {
        Array eval;
        eval << "EVAL" << BulkString(kListBlocks) << BulkString("1")
             << BulkString(blockIndexKey(config_.channel))
             << BulkString(blockKey(config_.channel, ""));
        const auto reply = commands_.execute<Array>(eval);
        std::vector<sdk::AccountBlock> blocks;
        // Poco reads an empty array as a null one, whose size() throws.
        for (std::size_t i = 0; !reply.isNull() && i + 1 < reply.size(); i += 2) {
            const std::int64_t until = std::stoll(reply.get<BulkString>(i + 1).value());
            blocks.push_back({reply.get<BulkString>(i).value(),
                              sdk::TimePoint(std::chrono::milliseconds(until))});
        }
        return blocks;
    } catch (const std::exception& error) {
        return sdk::Status{sdk::StatusCode::Unavailable,
                           "cannot read the blocks: " + describeFailure(error)};
    }
}

void RedisSharedState::start(sdk::SharedStateListener& listener) {
    subscriber_ = std::thread([this, &listener] { run(listener); });
}

void RedisSharedState::stop() noexcept {
    {
        std::lock_guard guard(stop_mutex_);
        stopping_ = true;
    }
    stop_wake_.notify_all();
    if (subscriber_.joinable()) {
        subscriber_.join();
    }
}

bool RedisSharedState::stopping() {
    std::lock_guard guard(stop_mutex_);
    return stopping_;
}

bool RedisSharedState::pause() {
    std::unique_lock lock(stop_mutex_);
    return !stop_wake_.wait_for(lock, config_.reconnect_interval, [this] { return stopping_; });
}

void RedisSharedState::run(sdk::SharedStateListener& listener) {
    do {
        try {
            RedisSubscriber subscriber(config_);
            listen(subscriber, listener);
        } catch (const std::exception& error) {
            report(listener, Link::Down, describeFailure(error));
        }
    } while (!stopping() && pause());
}

void RedisSharedState::listen(RedisSubscriber& subscriber, sdk::SharedStateListener& listener) {
    report(listener, Link::Up, {});
    while (!stopping()) {
        if (const auto message = subscriber.nextMessage(kStopPoll)) {
            deliver(*message, listener);
        }
    }
}

void RedisSharedState::deliver(const RedisMessage& message, sdk::SharedStateListener& listener) {
    if (message.channel == bindings_channel_) {
        auto* bindings = dynamic_cast<sdk::SharedStateListenerV2*>(&listener);
        const auto published = decodeBinding(message.payload);
        if (bindings != nullptr && published && published->instance != instance_) {
            bindings->onBinding(published->binding);
        }
        return;
    }
    if (message.channel == blocks_channel_) {
        auto* blocks = dynamic_cast<sdk::SharedStateListenerV3*>(&listener);
        const auto published = decodeBlock(message.payload);
        if (blocks != nullptr && published && published->instance != instance_) {
            blocks->onBlock(published->block);
        }
        return;
    }
    const auto space = message.payload.find(' ');
    if (space == std::string::npos || message.payload.compare(0, space, instance_) == 0) {
        return;  // not a notification, or this replica's own
    }
    listener.onChange(std::string_view(message.payload).substr(space + 1));
}

void RedisSharedState::report(sdk::SharedStateListener& listener, Link link,
                              const std::string& reason) {
    up_.store(link == Link::Up);
    if (link == Link::Down) {
        commands_.clear();
    }
    if (link == reported_) {
        return;
    }
    reported_ = link;
    if (link == Link::Up) {
        logger_.info("redis_subscribed",
                     {{"address", config_.host + ":" + std::to_string(config_.port)},
                      {"channel", config_.channel}});
    } else {
        logger_.warn(
            "redis_unreachable",
            {{"address", config_.host + ":" + std::to_string(config_.port)}, {"reason", reason}});
    }
    listener.onLinkChange(link == Link::Up, reason);
}

}  // namespace sluice::plugins::state_redis
