#pragma once

#include <Poco/Redis/Client.h>
#include <Poco/Timespan.h>

#include <chrono>
#include <memory>
#include <string>

#include "redis_config.hpp"

namespace sluice::plugins::state_redis {

/// `value` as Poco counts time.
Poco::Timespan timespan(std::chrono::milliseconds value);

/// Opens one connection for commands to the configured server within `timeout`, authenticated
/// when a password is set; a reply not there within `timeout` fails its command (Poco reports
/// it as a lost connection). Throws a Poco::Exception when the server cannot be reached or
/// refuses the password. One thread uses the returned client at a time.
std::unique_ptr<Poco::Redis::Client> openRedis(const RedisConfig& config,
                                               std::chrono::milliseconds timeout);

/// A reason fit for a log line and /readyz: the exception's text, never a credential.
std::string describeFailure(const std::exception& error);

}  // namespace sluice::plugins::state_redis
