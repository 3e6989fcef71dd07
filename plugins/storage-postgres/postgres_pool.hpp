#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "postgres_connection.hpp"

namespace sluice::plugins::storage_postgres {

/// A bounded set of connections shared by every repository. Connections open on demand up to
/// `size`; a caller beyond that waits up to `acquire_timeout` for one to come back. A connection
/// found broken when returned is dropped, so the next caller reconnects. Thread-safe.
class PostgresPool final {
public:
    class Lease;

    /// Opens the first connection now so a wrong URI fails at start; throws PostgresError.
    PostgresPool(std::vector<std::pair<std::string, std::string>> params, std::uint32_t size,
                 std::chrono::milliseconds acquire_timeout);

    /// A connection for the caller alone until the lease ends; throws PostgresError (empty
    /// SQLSTATE, so Unavailable) when none frees up in time or connecting fails.
    Lease acquire();

    /// Where the pool connects, for logs (never credentials).
    const std::string& describe() const noexcept { return description_; }

private:
    void release(std::unique_ptr<PostgresConnection> connection) noexcept;

    const std::vector<std::pair<std::string, std::string>> params_;
    const std::uint32_t size_;
    const std::chrono::milliseconds acquire_timeout_;
    std::string description_;

    std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<PostgresConnection>> idle_;
    std::uint32_t open_ = 0;  ///< idle plus lent out
};

/// One borrowed connection; returns it to the pool on destruction. Movable, not copyable.
class PostgresPool::Lease final {
public:
    Lease(PostgresPool& pool, std::unique_ptr<PostgresConnection> connection) noexcept
        : pool_(&pool), connection_(std::move(connection)) {}
    ~Lease();
    Lease(Lease&& other) noexcept : pool_(other.pool_), connection_(std::move(other.connection_)) {}
    Lease& operator=(Lease&&) = delete;
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    PostgresConnection& operator*() const noexcept { return *connection_; }
    PostgresConnection* operator->() const noexcept { return connection_.get(); }

private:
    PostgresPool* pool_;
    std::unique_ptr<PostgresConnection> connection_;
};

}  // namespace sluice::plugins::storage_postgres
