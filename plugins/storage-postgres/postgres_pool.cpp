#include "postgres_pool.hpp"

#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

PostgresPool::PostgresPool(std::vector<std::pair<std::string, std::string>> params,
                           std::uint32_t size, std::chrono::milliseconds acquire_timeout)
    : params_(std::move(params)), size_(size), acquire_timeout_(acquire_timeout) {
    auto first = std::make_unique<PostgresConnection>(params_);
    description_ = first->describe();
    idle_.push_back(std::move(first));
    open_ = 1;
}

PostgresPool::Lease PostgresPool::acquire() {
    std::unique_lock lock(mutex_);
    const bool available =
        returned_.wait_for(lock, acquire_timeout_, [&] { return !idle_.empty() || open_ < size_; });
    if (!available) {
        throw PostgresError(
            {}, "no free connection within " + std::to_string(acquire_timeout_.count()) + "ms");
    }
    if (!idle_.empty()) {
        auto connection = std::move(idle_.back());
        idle_.pop_back();
        return {*this, std::move(connection)};
    }
    // Connect outside the lock: a slow server must not stall callers of idle connections.
    ++open_;
    lock.unlock();
    try {
        return {*this, std::make_unique<PostgresConnection>(params_)};
    } catch (...) {
        lock.lock();
        --open_;
        returned_.notify_one();
        throw;
    }
}

void PostgresPool::release(std::unique_ptr<PostgresConnection> connection) noexcept {
    {
        std::lock_guard lock(mutex_);
        if (connection->healthy()) {
            idle_.push_back(std::move(connection));
        } else {
            --open_;
        }
    }
    returned_.notify_one();
}

PostgresPool::Lease::~Lease() {
    if (connection_) {
        pool_->release(std::move(connection_));
    }
}

}  // namespace sluice::plugins::storage_postgres
