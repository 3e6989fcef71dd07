#pragma once

#include <Poco/Thread.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

namespace sluice::core::server {

/// The bounded pool that runs route handlers (the 1.x RouteFamily::handle() blocks, and an open
/// stream holds its worker for its life). Threads start as work needs them, up to `threads`,
/// with small stacks since they mostly wait on sockets; jobs past that wait in a queue of at
/// most `max_queued`. Thread-safe: loop threads submit, workers run.
class WorkerPool final {
public:
    WorkerPool(std::size_t threads, std::size_t max_queued);
    ~WorkerPool();
    WorkerPool(const WorkerPool&) = delete;
    WorkerPool& operator=(const WorkerPool&) = delete;

    /// Queues `job`; false, dropping it, when the queue is full or the pool stopped.
    bool submit(std::function<void()> job);
    /// Runs what is queued, then joins every thread. Idempotent.
    void stop();

private:
    void run();

    const std::size_t max_threads_;
    const std::size_t max_queued_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::function<void()>> queue_;
    std::vector<std::unique_ptr<Poco::Thread>> threads_;
    std::size_t idle_ = 0;
    bool stopping_ = false;
};

}  // namespace sluice::core::server
