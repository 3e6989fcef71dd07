#include "core/accounting/request_log_writer.hpp"

#include "core/accounting/utc_time.hpp"

#include <chrono>
#include <map>
#include <tuple>
#include <vector>

namespace sluice::core::accounting {

namespace {

constexpr int kWriteAttempts = 3;

// One bucket per (UTC day, pool, key, account, model) of the batch.
std::vector<sdk::UsageBucket> rollUp(const std::vector<sdk::RequestLogRecord>& rows) {
    std::map<std::tuple<std::int64_t, std::string, std::string, std::string, std::string>, sdk::UsageBucket> buckets;
    for (const auto& row : rows) {
        const std::int64_t day = utcDay(row.started_at);
        sdk::UsageBucket& bucket = buckets[{day, row.pool, row.key_prefix, row.account_id, row.model}];
        bucket.day = day;
        bucket.pool = row.pool;
        bucket.key_prefix = row.key_prefix;
        bucket.account_id = row.account_id;
        bucket.model = row.model;
        ++bucket.requests;
        bucket.errors += row.status >= 400 || !row.error_code.empty() ? 1 : 0;
        bucket.input_tokens += row.input_tokens;
        bucket.cached_input_tokens += row.cached_input_tokens;
        bucket.output_tokens += row.output_tokens;
        bucket.reasoning_tokens += row.reasoning_tokens;
    }
    std::vector<sdk::UsageBucket> out;
    out.reserve(buckets.size());
    for (auto& entry : buckets) {
        out.push_back(std::move(entry.second));
    }
    return out;
}

}  // namespace

RequestLogWriter::RequestLogWriter(sdk::StorageBackend& storage, sdk::Metrics& metrics, sdk::Logger& logger,
                                   Options options)
    : storage_(storage),
      logger_(logger),
      written_(metrics.counter("sluice_request_log_rows_written_total", "Request-log rows stored", {})),
      dropped_(metrics.counter("sluice_request_log_rows_dropped_total",
                               "Request-log rows dropped because storage could not keep up", {})),
      options_(options),
      thread_([this] { run(); }) {}

RequestLogWriter::~RequestLogWriter() { stop(); }

void RequestLogWriter::submit(sdk::RequestLogRecord record, dispatch::RoutingTrace trace) {
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
        queue_.push_back({std::move(record), std::move(trace)});
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
    drained_.wait(lock, [this] { return (queue_.empty() && in_progress_ == 0) || !thread_.joinable(); });
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
            std::deque<Pending> batch;
            const std::size_t take = std::min(queue_.size(), options_.batch_size);
            batch.insert(batch.end(), std::make_move_iterator(queue_.begin()),
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

void RequestLogWriter::writeBatch(std::deque<Pending>& batch) {
    std::vector<sdk::RequestLogRecord> rows;
    rows.reserve(batch.size());
    for (Pending& pending : batch) {
        pending.record.routing_json = pending.trace.toJson();
        rows.push_back(std::move(pending.record));
    }
    sdk::Status status;
    for (int attempt = 0; attempt < kWriteAttempts; ++attempt) {
        status = storage_.requestLogs().append(rows);
        if (status.ok()) {
            written_.add(rows.size());
            if (const sdk::Status usage = storage_.usage().add(rollUp(rows)); !usage.ok()) {
                logger_.error("usage_rollup_failed", {{"rows", std::to_string(rows.size())}, {"reason", usage.message()}});
            }
            return;
        }
    }
    dropped_.add(rows.size());
    logger_.error("request_log_write_failed",
                  {{"rows", std::to_string(rows.size())}, {"reason", status.message()}});
}

}  // namespace sluice::core::accounting
