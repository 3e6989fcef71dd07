#include "memory_audit_repository.hpp"

#include "memory_paging.hpp"
#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

sdk::Status MemoryAuditRepository::append(const sdk::AuditRecord& record) noexcept {
    return guarded("audit.append", [&] {
        std::lock_guard lock(state_.mutex);
        if (state_.audit.count(record.id) != 0) {
            return alreadyExists("audit record", record.id);
        }
        sdk::AuditRecord stored = record;
        stored.occurred_at = toStoredTime(record.occurred_at);
        const std::int64_t occurred = toMillis(stored.occurred_at);
        const auto row = state_.audit.emplace(record.id, std::move(stored)).first;
        try {
            state_.audit_order.emplace(occurred, row->first);
        } catch (...) {
            state_.audit.erase(row);
            throw;
        }
        return sdk::Status::success();
    });
}

sdk::Result<sdk::AuditRecord> MemoryAuditRepository::get(std::string_view id) noexcept {
    return guarded("audit.get", [&]() -> sdk::Result<sdk::AuditRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.audit.find(id);
        if (found == state_.audit.end()) {
            return notFound("audit record", id);
        }
        return found->second;
    });
}

sdk::Result<sdk::AuditPage> MemoryAuditRepository::query(const sdk::AuditQuery& query) noexcept {
    return guarded("audit.query", [&]() -> sdk::Result<sdk::AuditPage> {
        const auto since = query.since ? std::optional(toMillis(*query.since)) : std::nullopt;
        const auto until = query.until ? std::optional(toMillis(*query.until)) : std::nullopt;
        const auto matches = [&](const sdk::AuditRecord& record) {
            const std::int64_t occurred = toMillis(record.occurred_at);
            return (!query.actor || record.actor == *query.actor) &&
                   (!query.action || record.action == *query.action) &&
                   (!query.target || record.target == *query.target) &&
                   (!since || occurred >= *since) && (!until || occurred < *until);
        };
        std::lock_guard lock(state_.mutex);
        return readPage<sdk::AuditPage>(state_.audit, state_.audit_order,
                                        &sdk::AuditRecord::occurred_at, query.before_id,
                                        query.limit, matches);
    });
}

}  // namespace sluice::plugins::storage_memory
