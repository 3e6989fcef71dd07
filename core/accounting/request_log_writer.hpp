#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/dispatch/routing_trace.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::accounting {

/// Writes request-log rows and daily usage rollups behind the requests: submit() only queues
/// (never touches storage); a background thread serialises routing traces, appends rows in
/// batches and adds each batch to the usage buckets. Memory is bounded: when storage cannot
/// keep up the oldest rows are dropped and counted, never the request.
class RequestLogWriter final {
public:
    struct Options {
        std::size_t batch_size = 256;
        std::chrono::milliseconds flush_interval{200};
        std::size_t queue_capacity = 100'000;
    };

    RequestLogWriter(sdk::StorageBackend& storage, sdk::Metrics& metrics, sdk::Logger& logger, Options options);
    ~RequestLogWriter();
    RequestLogWriter(const RequestLogWriter&) = delete;
    RequestLogWriter& operator=(const RequestLogWriter&) = delete;

    /// Thread-safe, non-blocking.
    void submit(sdk::RequestLogRecord record, dispatch::RoutingTrace trace);
    /// Writes everything queued and stops the thread (shutdown).
    void stop();
    /// Blocks until everything submitted so far is written (tests, drain).
    void flush();

private:
    struct Pending {
        sdk::RequestLogRecord record;
        dispatch::RoutingTrace trace;
    };
    void run();
    void writeBatch(std::deque<Pending>& batch);

    sdk::StorageBackend& storage_;
    sdk::Logger& logger_;
    sdk::Counter& written_;
    sdk::Counter& dropped_;
    Options options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable drained_;
    std::deque<Pending> queue_;
    std::size_t in_progress_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sluice::core::accounting
