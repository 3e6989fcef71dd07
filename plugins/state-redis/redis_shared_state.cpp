#include "redis_shared_state.hpp"

#include <Poco/Redis/Array.h>

#include <cstdio>
#include <optional>

#include "redis_connection.hpp"
#include "redis_subscriber.hpp"

namespace sluice::plugins::state_redis {

namespace {

using Poco::Redis::Array;
using Poco::Redis::BulkString;

// How often the subscriber looks up from a quiet connection to see whether it should stop.
constexpr std::chrono::milliseconds kStopPoll{100};

std::string instanceId(sdk::Random& random) {
    char text[17];
    std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(random.next()));
    return text;
}

}  // namespace

RedisSharedState::RedisSharedState(RedisConfig config, sdk::HostServices& host)
    : config_(std::move(config)),
      instance_(instanceId(host.random())),
      logger_(host.logger("state-redis")) {}

RedisSharedState::~RedisSharedState() {
    stop();
}

sdk::Status RedisSharedState::announce(std::string_view topic) noexcept {
    if (!up_.load()) {
        // Connecting is the subscriber's job: a caller never pays for an unreachable server.
        return {sdk::StatusCode::Unavailable, "shared state unreachable"};
    }
    std::lock_guard guard(publisher_mutex_);
    try {
        if (!publisher_) {
            publisher_ = openRedis(config_, config_.call_timeout);
        }
        Array publish;
        publish << "PUBLISH" << BulkString(config_.channel)
                << BulkString(instance_ + " " + std::string(topic));
        publisher_->execute<Poco::Int64>(publish);
        return {};
    } catch (const std::exception& error) {
        publisher_.reset();  // its state after a failure is unknown
        return {sdk::StatusCode::Unavailable, "cannot publish: " + describeFailure(error)};
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
        const auto payload = subscriber.nextMessage(kStopPoll);
        const auto space = payload ? payload->find(' ') : std::string::npos;
        if (space == std::string::npos || payload->compare(0, space, instance_) == 0) {
            continue;  // not a notification, or this replica's own
        }
        listener.onChange(std::string_view(*payload).substr(space + 1));
    }
}

void RedisSharedState::report(sdk::SharedStateListener& listener, Link link,
                              const std::string& reason) {
    up_.store(link == Link::Up);
    if (link == Link::Down) {
        std::lock_guard guard(publisher_mutex_);
        publisher_.reset();  // it went with the server; the next announcement opens a new one
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
