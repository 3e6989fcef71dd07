#include "postgres_audit_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"
#include "postgres_page_query.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kColumns = "id, occurred_at, actor, action, target, outcome, details_json";

constexpr PageSource kSource{"audit_log", "occurred_at", kColumns};

sdk::AuditRecord readAudit(const PostgresResult& rows, int row) {
    sdk::AuditRecord record;
    record.id = rows.text(row, 0);
    record.occurred_at = fromMillis(rows.integer(row, 1));
    record.actor = rows.text(row, 2);
    record.action = rows.text(row, 3);
    record.target = rows.text(row, 4);
    record.outcome = rows.text(row, 5);
    record.details_json = rows.text(row, 6);
    return record;
}

}  // namespace

sdk::Status PostgresAuditRepository::append(const sdk::AuditRecord& record) noexcept {
    return guarded("audit.append", [&] {
        pool_.acquire()->exec(std::string("INSERT INTO audit_log (") + kColumns +
                                  ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
                              PostgresParams()
                                  .text(record.id)
                                  .integer(toMillis(record.occurred_at))
                                  .text(record.actor)
                                  .text(record.action)
                                  .text(record.target)
                                  .text(record.outcome)
                                  .text(record.details_json));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::AuditRecord> PostgresAuditRepository::get(std::string_view id) noexcept {
    return guarded("audit.get", [&]() -> sdk::Result<sdk::AuditRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string("SELECT ") + kColumns + " FROM audit_log WHERE id = $1",
            PostgresParams().text(id));
        if (rows.rows() == 0) {
            return notFound("audit record", id);
        }
        return readAudit(rows, 0);
    });
}

sdk::Result<sdk::AuditPage> PostgresAuditRepository::query(const sdk::AuditQuery& query) noexcept {
    return guarded("audit.query", [&]() -> sdk::Result<sdk::AuditPage> {
        PostgresFilter filter(common::auditConditions(query));
        return fetchPage<sdk::AuditPage>(pool_, kSource, std::move(filter), query.before_id,
                                         query.limit, readAudit);
    });
}

}  // namespace sluice::plugins::storage_postgres
