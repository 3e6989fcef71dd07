#include "tests/support/redis_server.hpp"

#include <Poco/Exception.h>
#include <Poco/Redis/Array.h>
#include <Poco/Redis/Client.h>
#include <signal.h>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "tests/support/child_process.hpp"

namespace sluice::tests {

namespace fs = std::filesystem;

namespace {

constexpr auto kStartDeadline = std::chrono::seconds(20);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

}  // namespace

std::optional<fs::path> RedisServer::findBinary() {
    const fs::path binary = "/usr/bin/redis-server";
    return fs::exists(binary) ? std::optional<fs::path>(binary) : std::nullopt;
}

RedisServer::RedisServer(fs::path binary)
    : binary_(std::move(binary)),
      directory_(std::make_unique<sdk::testing::TempDirectory>("sluice-redis")),
      port_(freeLoopbackPort()) {
    start();
}

RedisServer::~RedisServer() {
    stop();
}

std::string RedisServer::address() const {
    return "127.0.0.1:" + std::to_string(port_);
}

void RedisServer::start() {
    const fs::path log = directory_->path() / "server.log";
    // Nothing to keep between runs: no snapshots, no append-only file.
    server_ = spawnChild(
        {binary_.string(), "--port", std::to_string(port_), "--bind", "127.0.0.1", "--save", "",
         "--appendonly", "no", "--dir", directory_->path().string(), "--daemonize", "no"},
        log, nullptr, SIGKILL);
    const auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
    while (true) {
        try {
            Poco::Redis::Client client("127.0.0.1", port_);
            Poco::Redis::Array ping;
            ping << "PING";
            if (client.execute<std::string>(ping) == "PONG") {
                return;
            }
        } catch (const Poco::Exception&) {
        }
        if (hasExited(server_)) {
            server_ = -1;
            throw std::runtime_error("redis-server exited while starting:\n" + logTail(log));
        }
        if (std::chrono::steady_clock::now() > deadline) {
            stop();
            throw std::runtime_error("redis-server did not accept connections in time:\n" +
                                     logTail(log));
        }
        std::this_thread::sleep_for(kPollInterval);
    }
}

void RedisServer::stop() noexcept {
    stopChild(server_, SIGKILL);
}

void RedisServer::freeze() noexcept {
    ::kill(server_, SIGSTOP);
}

void RedisServer::thaw() noexcept {
    ::kill(server_, SIGCONT);
}

std::int64_t RedisServer::subscribers(const std::string& channel) const {
    Poco::Redis::Client client("127.0.0.1", port_);
    Poco::Redis::Array numsub;
    numsub << "PUBSUB"
           << "NUMSUB" << Poco::Redis::BulkString(channel);
    return client.execute<Poco::Redis::Array>(numsub).get<Poco::Int64>(1);
}

}  // namespace sluice::tests
