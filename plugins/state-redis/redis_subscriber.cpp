#include "redis_subscriber.hpp"

#include <Poco/Net/SocketAddress.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Error.h>
#include <Poco/Redis/Exception.h>

#include "redis_connection.hpp"

namespace sluice::plugins::state_redis {

namespace {

using Poco::Redis::Array;
using Poco::Redis::BulkString;

Poco::Net::StreamSocket connected(const RedisConfig& config) {
    Poco::Net::StreamSocket socket;
    socket.connect(Poco::Net::SocketAddress(config.host, config.port),
                   timespan(config.connect_timeout));
    // The server answers a command at once; only the wait for a message is open-ended.
    socket.setReceiveTimeout(timespan(config.connect_timeout));
    return socket;
}

}  // namespace

RedisSubscriber::RedisSubscriber(const RedisConfig& config)
    : socket_(connected(config)), input_(socket_), output_(socket_), keepalive_(config.keepalive) {
    if (!config.password.empty()) {
        Array auth;
        auth << "AUTH" << BulkString(config.password);
        command(auth);
    }
    Array subscribe;
    subscribe << "SUBSCRIBE" << BulkString(config.channel) << BulkString(bindingsChannel(config))
              << BulkString(blocksChannel(config));
    command(subscribe);
}

std::optional<RedisMessage> RedisSubscriber::nextMessage(std::chrono::milliseconds wait) {
    keepAlive();
    // Bytes already buffered are a push in progress; otherwise wait on the socket itself.
    if (input_.rdbuf()->in_avail() <= 0 &&
        !socket_.poll(timespan(wait), Poco::Net::Socket::SELECT_READ)) {
        return std::nullopt;
    }
    const Poco::Redis::RedisType::Ptr reply = readReply();
    if (!reply->isArray()) {
        return std::nullopt;
    }
    const auto& push = static_cast<const Poco::Redis::Type<Array>&>(*reply).value();
    if (push.size() != 3 || push.getType(0) != Poco::Redis::RedisType::REDIS_BULK_STRING ||
        push.get<BulkString>(0).value() != "message") {
        return std::nullopt;  // e.g. the answer to a PING
    }
    return RedisMessage{push.get<BulkString>(1).value(), push.get<BulkString>(2).value()};
}

void RedisSubscriber::keepAlive() {
    const Clock::time_point now = Clock::now();
    if (ping_sent_) {
        if (now - *ping_sent_ >= keepalive_) {
            throw Poco::Redis::RedisException("no answer to PING within the keepalive");
        }
        return;
    }
    if (now - heard_at_ >= keepalive_) {
        Array ping;
        ping << "PING";
        output_ << ping.toString();
        output_.flush();
        ping_sent_ = now;
    }
}

void RedisSubscriber::command(const Array& command) {
    output_ << command.toString();
    output_.flush();
    const Poco::Redis::RedisType::Ptr reply = readReply();
    if (reply->isError()) {
        throw Poco::Redis::RedisException(
            static_cast<const Poco::Redis::Type<Poco::Redis::Error>&>(*reply).value().getMessage());
    }
}

Poco::Redis::RedisType::Ptr RedisSubscriber::readReply() {
    const int marker = input_.get();
    if (marker == std::char_traits<char>::eof()) {
        throw Poco::Redis::RedisException("lost connection to the Redis server");
    }
    Poco::Redis::RedisType::Ptr reply =
        Poco::Redis::RedisType::createRedisType(static_cast<char>(marker));
    if (reply.isNull()) {
        throw Poco::Redis::RedisException("not a Redis reply");
    }
    reply->read(input_);
    heard_at_ = Clock::now();
    ping_sent_.reset();
    return reply;
}

}  // namespace sluice::plugins::state_redis
