#include "sqlite_audit_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"
#include "sqlite_page_query.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kColumns = "id, occurred_at, actor, action, target, outcome, details_json";

constexpr PageSource kSource{"audit_log", "occurred_at", kColumns};

sdk::AuditRecord readAudit(const SqliteStatement& row) {
    sdk::AuditRecord record;
    record.id = row.columnText(0);
    record.occurred_at = fromMillis(row.columnInt(1));
    record.actor = row.columnText(2);
    record.action = row.columnText(3);
    record.target = row.columnText(4);
    record.outcome = row.columnText(5);
    record.details_json = row.columnText(6);
    return record;
}

}  // namespace

sdk::Status SqliteAuditRepository::append(const sdk::AuditRecord& record) noexcept {
    return guarded("audit.append", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert =
            connection_.prepare(std::string("INSERT INTO audit_log (") + kColumns +
                                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert.bindText(1, record.id)
            .bindInt(2, toMillis(record.occurred_at))
            .bindText(3, record.actor)
            .bindText(4, record.action)
            .bindText(5, record.target)
            .bindText(6, record.outcome)
            .bindText(7, record.details_json);
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::AuditRecord> SqliteAuditRepository::get(std::string_view id) noexcept {
    return guarded("audit.get", [&]() -> sdk::Result<sdk::AuditRecord> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string("SELECT ") + kColumns +
                                                     " FROM audit_log WHERE id = ?1");
        select.bindText(1, id);
        if (!select.step()) {
            return notFound("audit record", id);
        }
        return readAudit(select);
    });
}

sdk::Result<sdk::AuditPage> SqliteAuditRepository::query(const sdk::AuditQuery& query) noexcept {
    return guarded("audit.query", [&]() -> sdk::Result<sdk::AuditPage> {
        SqliteFilter filter(common::auditConditions(query));
        auto lock = connection_.lock();
        return fetchPage<sdk::AuditPage>(connection_, kSource, std::move(filter), query.before_id,
                                         query.limit, readAudit);
    });
}

}  // namespace sluice::plugins::storage_sqlite
