#include "redis_connection.hpp"

#include <Poco/Exception.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Exception.h>
#include <Poco/Timespan.h>

namespace sluice::plugins::state_redis {

Poco::Timespan timespan(std::chrono::milliseconds value) {
    return Poco::Timespan(std::chrono::duration_cast<std::chrono::microseconds>(value).count());
}

std::unique_ptr<Poco::Redis::Client> openRedis(const RedisConfig& config,
                                               std::chrono::milliseconds timeout) {
    auto client = std::make_unique<Poco::Redis::Client>();
    client->connect(config.host, config.port, timespan(timeout));
    client->setReceiveTimeout(timespan(timeout));
    if (!config.password.empty()) {
        Poco::Redis::Array auth;
        auth << "AUTH" << Poco::Redis::BulkString(config.password);
        client->execute<std::string>(auth);  // a refusal arrives as a RedisException
    }
    return client;
}

std::string describeFailure(const std::exception& error) {
    if (const auto* poco = dynamic_cast<const Poco::Exception*>(&error)) {
        return poco->displayText();
    }
    return error.what();
}

}  // namespace sluice::plugins::state_redis
