#include "core/accounting/request_log_writer.hpp"

#include <vector>

namespace sluice::core::accounting {

namespace {

constexpr int kWriteAttempts = 3;

}  // namespace

RequestLogWriter::RequestLogWriter(sdk::RequestLogRepository& repository, sdk::Metrics& metrics,
                                   sdk::Logger& logger, Options options)
    : repository_(repository),
      logger_(logger),
      written_(metrics.counter("sluice_request_log_rows_written_total", "Request-log rows stored", {})),
      dropped_(metrics.counter("sluice_request_log_rows_dropped_total",
                               "Request-log rows dropped because storage could not keep up", {})),
      options_(options),
      thread_([this] { run(); }) {}

RequestLogWriter::~RequestLogWriter() { stop(); }

void RequestLogWriter::submit(sdk::RequestLogRecord record, dispatch::RoutingTrace trace) {
    {
        std::lock_guard lock(mutex_);
        if (queue_.size() >= options_.queue_capacity) {
            queue_.pop_front();
            dropped_.add();
        }
        queue_.push_back({std::move(record), std::move(trace)});
    }
    wake_.notify_one();
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
        status = repository_.append(rows);
        if (status.ok()) {
            written_.add(rows.size());
            return;
        }
    }
    dropped_.add(rows.size());
    logger_.error("request_log_write_failed",
                  {{"rows", std::to_string(rows.size())}, {"reason", status.message()}});
}

}  // namespace sluice::core::accounting
