#include "memory_request_log_repository.hpp"

#include <set>

#include "memory_paging.hpp"
#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryRequestLogRepository::append(
    const std::vector<sdk::RequestLogRecord>& records) noexcept {
    return guarded("request_logs.append", [&] {
        std::lock_guard lock(state_.mutex);
        std::set<std::string_view> batch_ids;
        for (const sdk::RequestLogRecord& record : records) {
            if (state_.request_logs.count(record.id) != 0 || !batch_ids.insert(record.id).second) {
                return alreadyExists("request log", record.id);
            }
        }
        // Remember what went in so an allocation failure half-way can take it out again.
        std::vector<std::pair<decltype(state_.request_logs)::iterator, NewestFirst::iterator>>
            inserted;
        inserted.reserve(records.size());
        try {
            for (const sdk::RequestLogRecord& record : records) {
                sdk::RequestLogRecord stored = record;
                stored.started_at = toStoredTime(record.started_at);
                const std::int64_t started = toMillis(stored.started_at);
                const auto row = state_.request_logs.emplace(record.id, std::move(stored)).first;
                try {
                    inserted.emplace_back(
                        row, state_.request_log_order.emplace(started, row->first).first);
                } catch (...) {
                    state_.request_logs.erase(row);
                    throw;
                }
            }
        } catch (...) {
            for (const auto& [row, position] : inserted) {
                state_.request_log_order.erase(position);
                state_.request_logs.erase(row);
            }
            throw;
        }
        return sdk::Status::success();
    });
}

sdk::Result<sdk::RequestLogRecord> MemoryRequestLogRepository::get(std::string_view id) noexcept {
    return guarded("request_logs.get", [&]() -> sdk::Result<sdk::RequestLogRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.request_logs.find(id);
        if (found == state_.request_logs.end()) {
            return notFound("request log", id);
        }
        return found->second;
    });
}

sdk::Result<sdk::RequestLogPage> MemoryRequestLogRepository::query(
    const sdk::RequestLogQuery& query) noexcept {
    return guarded("request_logs.query", [&]() -> sdk::Result<sdk::RequestLogPage> {
        const auto since = query.since ? std::optional(toMillis(*query.since)) : std::nullopt;
        const auto until = query.until ? std::optional(toMillis(*query.until)) : std::nullopt;
        const auto matches = [&](const sdk::RequestLogRecord& record) {
            const std::int64_t started = toMillis(record.started_at);
            return (!query.pool || record.pool == *query.pool) &&
                   (!query.key_prefix || record.key_prefix == *query.key_prefix) &&
                   (!query.model || record.model == *query.model) &&
                   (!query.status || record.status == *query.status) &&
                   (!since || started >= *since) && (!until || started < *until);
        };
        std::lock_guard lock(state_.mutex);
        return readPage<sdk::RequestLogPage>(state_.request_logs, state_.request_log_order,
                                             &sdk::RequestLogRecord::started_at, query.before_id,
                                             query.limit, matches);
    });
}

}  // namespace sluice::plugins::storage_memory
