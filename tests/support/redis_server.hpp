#pragma once

// A throwaway Redis server for tests: Debian's redis-server (installed by
// `packaging/install-deps.sh --test`) on a free loopback port, nothing persisted, its working
// directory a temporary one, stopped and removed at the end.

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "sluice/sdk/testing/temp_directory.hpp"

namespace sluice::tests {

/// One running server. Owned by one test; its methods run on the test thread.
class RedisServer final {
public:
    /// /usr/bin/redis-server when installed, or nullopt.
    static std::optional<std::filesystem::path> findBinary();

    /// Starts the server on a free loopback port; throws std::runtime_error (with the server
    /// log's tail) when it does not come up.
    explicit RedisServer(std::filesystem::path binary);
    ~RedisServer();
    RedisServer(const RedisServer&) = delete;
    RedisServer& operator=(const RedisServer&) = delete;

    /// Kills the server (clients see their connections cut).
    void stop() noexcept;
    /// Starts it again on the same port; throws std::runtime_error when it does not come back.
    void start();
    /// Stops the process (SIGSTOP): connections stay open and nothing answers, as over a
    /// half-open connection. thaw() (SIGCONT) lets it go on.
    void freeze() noexcept;
    void thaw() noexcept;

    std::uint16_t port() const noexcept { return port_; }
    /// host:port, as the state-redis plugin's `address` takes it.
    std::string address() const;
    /// How many clients are subscribed to `channel` (PUBSUB NUMSUB).
    std::int64_t subscribers(const std::string& channel) const;

private:
    std::filesystem::path binary_;
    std::unique_ptr<sdk::testing::TempDirectory> directory_;
    std::uint16_t port_ = 0;
    pid_t server_ = -1;
};

/// The message every Redis test skips with when the server is not installed.
inline constexpr const char* kRedisMissing =
    "redis-server not found; install it with `packaging/install-deps.sh --test` (Debian package "
    "redis-server)";

}  // namespace sluice::tests
