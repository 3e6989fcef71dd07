#include "core/server/worker_pool.hpp"

#include "core/observability/fatal_signal.hpp"

namespace sluice::core::server {

namespace {

// Workers mostly wait on sockets; a small stack keeps thousands of open streams cheap.
constexpr int kThreadStackBytes = 256 * 1024;

}  // namespace

WorkerPool::WorkerPool(std::size_t threads, std::size_t max_queued)
    : max_threads_(threads), max_queued_(max_queued) {}

WorkerPool::~WorkerPool() {
    stop();
}

bool WorkerPool::submit(std::function<void()> job) {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ || queue_.size() >= max_queued_) {
            return false;
        }
        queue_.push_back(std::move(job));
        if (idle_ < queue_.size() && threads_.size() < max_threads_) {
            auto thread = std::make_unique<Poco::Thread>("sluice-worker");
            thread->setStackSize(kThreadStackBytes);
            thread->startFunc([this] { run(); });
            threads_.push_back(std::move(thread));
        }
    }
    wake_.notify_one();
    return true;
}

void WorkerPool::stop() {
    std::vector<std::unique_ptr<Poco::Thread>> threads;
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
        threads.swap(threads_);
    }
    wake_.notify_all();
    for (const auto& thread : threads) {
        thread->join();
    }
}

void WorkerPool::run() {
    observability::fatal_signal::prepareThread();
    std::unique_lock lock(mutex_);
    while (true) {
        ++idle_;
        wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
        --idle_;
        if (queue_.empty()) {
            return;  // stopping, and nothing left to run
        }
        std::function<void()> job = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        job();
        lock.lock();
    }
}

}  // namespace sluice::core::server
