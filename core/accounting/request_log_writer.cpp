#include "core/accounting/request_log_writer.hpp"

#include <chrono>
#include <map>
#include <tuple>
#include <vector>

#include "core/accounting/usage_counts.hpp"

namespace sluice::core::accounting {

namespace {

constexpr int kWriteAttempts = 3;

// Same-key deltas of a batch summed, one bucket per (UTC day, pool, key, account, model), so
// storage adds each bucket once.
std::vector<sdk::UsageBucket> merged(std::vector<sdk::UsageBucket> deltas) {
    std::map<std::tuple<std::int64_t, std::string, std::string, std::string, std::string>,
             sdk::UsageBucket>
        buckets;
    for (auto& delta : deltas) {
        auto [it, added] = buckets.try_emplace(
            {delta.day, delta.pool, delta.key_prefix, delta.account_id, delta.model}, delta);
        if (!added) {
            addUsageCounts(it->second, delta);
        }
    }
    std::vector<sdk::UsageBucket> out;
    out.reserve(buckets.size());
    for (auto& entry : buckets) {
        out.push_back(std::move(entry.second));
    }
    return out;
}

}  // namespace

RequestLogWriter::RequestLogWriter(sdk::StorageBackend& storage, sdk::Metrics& metrics,
                                   sdk::Logger& logger, Options options)
    : storage_(storage),
      logger_(logger),
      written_(
          metrics.counter("sluice_request_log_rows_written_total", "Request-log rows stored", {})),
      dropped_(metrics.counter("sluice_request_log_rows_dropped_total",
                               "Request-log rows dropped because storage could not keep up", {})),
      options_(options),
      thread_([this] { run(); }) {}

RequestLogWriter::~RequestLogWriter() {
    stop();
}

void RequestLogWriter::submit(SettledRequest settled) {
    bool batch_ready = false;
    {
        std::unique_lock lock(mutex_);
        if (queue_.size() >= options_.backlog_limit && !stopping_) {
            wake_.notify_one();
            room_.wait_for(lock, options_.backlog_wait,
                           [this] { return queue_.size() < options_.backlog_limit || stopping_; });
        }
        if (queue_.size() >= options_.queue_capacity) {
            queue_.pop_front();
            dropped_.add();
        }
        queue_.push_back(std::move(settled));
        batch_ready = queue_.size() == options_.batch_size;
    }
    // The writer wakes on a full batch or its flush interval, not once per request: a wake-up
    // per request was a context switch per request.
    if (batch_ready) {
        wake_.notify_one();
    }
}

void RequestLogWriter::flush() {
    std::unique_lock lock(mutex_);
    wake_.notify_one();
    drained_.wait(lock,
                  [this] { return (queue_.empty() && in_progress_ == 0) || !thread_.joinable(); });
}

void RequestLogWriter::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_) {
            return;
        }
        stopping_ = true;
    }
    wake_.notify_all();
    room_.notify_all();
    if (thread_.joinable()) {
        thread_.join();
    }
}

void RequestLogWriter::run() {
    std::unique_lock lock(mutex_);
    while (true) {
        wake_.wait_for(lock, options_.flush_interval,
                       [this] { return stopping_ || queue_.size() >= options_.batch_size; });
        while (!queue_.empty()) {
            std::deque<SettledRequest> batch;
            const std::size_t take = std::min(queue_.size(), options_.batch_size);
            batch.insert(
                batch.end(), std::make_move_iterator(queue_.begin()),
                std::make_move_iterator(queue_.begin() + static_cast<std::ptrdiff_t>(take)));
            queue_.erase(queue_.begin(), queue_.begin() + static_cast<std::ptrdiff_t>(take));
            room_.notify_all();
            in_progress_ = batch.size();
            lock.unlock();
            writeBatch(batch);
            lock.lock();
            in_progress_ = 0;
        }
        drained_.notify_all();
        if (stopping_) {
            return;
        }
    }
}

void RequestLogWriter::writeBatch(std::deque<SettledRequest>& batch) {
    std::vector<sdk::RequestLogRecord> rows;
    std::vector<sdk::UsageBucket> deltas;
    rows.reserve(batch.size());
    deltas.reserve(batch.size());
    for (SettledRequest& settled : batch) {
        if (options_.traffic != nullptr) {
            options_.traffic->record(settled.record.pool, settled.record.started_at,
                                     settled.record.status);
        }
        settled.record.routing_json = settled.trace.toJson();
        rows.push_back(std::move(settled.record));
        deltas.push_back(std::move(settled.usage));
    }
    sdk::Status status;
    for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
        status = storage_.requestLogs().append(rows);
        if (status.ok()) {
            written_.add(rows.size());
            if (const sdk::Status usage = storage_.usage().add(merged(std::move(deltas)));
                !usage.ok()) {
                logger_.error("usage_rollup_failed",
                              {{"rows", std::to_string(rows.size())}, {"reason", usage.message()}});
            }
            return;
        }
    }
    dropped_.add(rows.size());
    logger_.error("request_log_write_failed",
                  {{"rows", std::to_string(rows.size())}, {"reason", status.message()}});
}

}  // namespace sluice::core::accounting
