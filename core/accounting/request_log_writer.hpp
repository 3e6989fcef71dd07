#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "core/accounting/recent_traffic.hpp"
#include "core/accounting/request_ledger.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/metrics.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::accounting {

/// Writes settled requests (RequestLedger) behind them: submit() only queues (never touches
/// storage); a background thread serialises routing traces, appends rows in batches and adds
/// each batch's usage deltas to the daily buckets. Under load the writer is one thread among
/// many request threads and can fall behind its fair share of CPU, so a submitter that finds a
/// long backlog waits (briefly) for the writer to take a batch. Memory is bounded: when storage
/// still cannot keep up the oldest rows are dropped and counted, never the request.
class RequestLogWriter final : public SettledRequests {
public:
    struct Options {
        std::size_t batch_size = 256;
        std::chrono::milliseconds flush_interval{200};
        std::size_t queue_capacity = 100'000;
        std::size_t backlog_limit = 1024;             ///< submitters wait above this many rows…
        std::chrono::milliseconds backlog_wait{100};  ///< …for at most this long
        RecentTraffic* traffic = nullptr;  ///< when set, each request is counted there too
    };

    RequestLogWriter(sdk::StorageBackend& storage, sdk::Metrics& metrics, sdk::Logger& logger,
                     Options options);
    ~RequestLogWriter() override;
    RequestLogWriter(const RequestLogWriter&) = delete;
    RequestLogWriter& operator=(const RequestLogWriter&) = delete;

    /// Thread-safe; waits at most `backlog_wait`, and only while the backlog is long.
    void submit(SettledRequest settled) override;
    /// Writes everything queued and stops the thread (shutdown).
    void stop();
    /// Blocks until everything submitted so far is written (tests, drain).
    void flush();

private:
    void run();
    void writeBatch(std::deque<SettledRequest>& batch);

    sdk::StorageBackend& storage_;
    sdk::Logger& logger_;
    sdk::Counter& written_;
    sdk::Counter& dropped_;
    Options options_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable drained_;
    std::condition_variable room_;  ///< the writer took a batch
    std::deque<SettledRequest> queue_;
    std::size_t in_progress_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sluice::core::accounting
