#include "sqlite_request_log_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"
#include "sqlite_page_query.hpp"
#include "sqlite_transaction.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kColumns =
    "id, started_at, pool, key_prefix, model, route, route_class, account_id, account_label, "
    "status, error_code, attempts, input_tokens, cached_input_tokens, output_tokens, "
    "reasoning_tokens, latency_us, first_byte_us, routing_json, method, route_path";

constexpr PageSource kSource{"request_logs", "started_at", kColumns};

// Token counters are unsigned in the record; SQLite integers are signed 64-bit, so the bits are
// stored as they are and cast back on read.
std::int64_t asStored(std::uint64_t value) noexcept {
    return static_cast<std::int64_t>(value);
}
std::uint64_t fromStored(std::int64_t value) noexcept {
    return static_cast<std::uint64_t>(value);
}

sdk::RequestLogRecord readLog(const SqliteStatement& row) {
    sdk::RequestLogRecord log;
    log.id = row.columnText(0);
    log.started_at = fromMillis(row.columnInt(1));
    log.pool = row.columnText(2);
    log.key_prefix = row.columnText(3);
    log.model = row.columnText(4);
    log.route = row.columnText(5);
    log.route_class = row.columnText(6);
    log.account_id = row.columnText(7);
    log.account_label = row.columnText(8);
    log.status = static_cast<int>(row.columnInt(9));
    log.error_code = row.columnText(10);
    log.attempts = static_cast<std::uint32_t>(row.columnInt(11));
    log.input_tokens = fromStored(row.columnInt(12));
    log.cached_input_tokens = fromStored(row.columnInt(13));
    log.output_tokens = fromStored(row.columnInt(14));
    log.reasoning_tokens = fromStored(row.columnInt(15));
    log.latency_us = row.columnInt(16);
    log.first_byte_us = row.columnInt(17);
    log.routing_json = row.columnText(18);
    log.method = row.columnText(19);
    log.route_path = row.columnText(20);
    return log;
}

void bindLog(SqliteStatement& insert, const sdk::RequestLogRecord& log) {
    insert.bindText(1, log.id)
        .bindInt(2, toMillis(log.started_at))
        .bindText(3, log.pool)
        .bindText(4, log.key_prefix)
        .bindText(5, log.model)
        .bindText(6, log.route)
        .bindText(7, log.route_class)
        .bindText(8, log.account_id)
        .bindText(9, log.account_label)
        .bindInt(10, log.status)
        .bindText(11, log.error_code)
        .bindInt(12, log.attempts)
        .bindInt(13, asStored(log.input_tokens))
        .bindInt(14, asStored(log.cached_input_tokens))
        .bindInt(15, asStored(log.output_tokens))
        .bindInt(16, asStored(log.reasoning_tokens))
        .bindInt(17, log.latency_us)
        .bindInt(18, log.first_byte_us)
        .bindText(19, log.routing_json)
        .bindText(20, log.method)
        .bindText(21, log.route_path);
}

}  // namespace

sdk::Status SqliteRequestLogRepository::append(
    const std::vector<sdk::RequestLogRecord>& records) noexcept {
    if (records.empty()) {
        return sdk::Status::success();
    }
    return guarded("request_logs.append", [&] {
        auto lock = connection_.lock();
        SqliteTransaction transaction(connection_);
        {
            SqliteStatement insert = connection_.prepare(
                std::string("INSERT INTO request_logs (") + kColumns +
                ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                "?16, ?17, ?18, ?19, ?20, ?21)");
            for (const sdk::RequestLogRecord& log : records) {
                bindLog(insert, log);
                insert.run();
                insert.reset();
            }
        }
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::RequestLogRecord> SqliteRequestLogRepository::get(std::string_view id) noexcept {
    return guarded("request_logs.get", [&]() -> sdk::Result<sdk::RequestLogRecord> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string("SELECT ") + kColumns +
                                                     " FROM request_logs WHERE id = ?1");
        select.bindText(1, id);
        if (!select.step()) {
            return notFound("request log", id);
        }
        return readLog(select);
    });
}

sdk::Result<sdk::RequestLogPage> SqliteRequestLogRepository::query(
    const sdk::RequestLogQuery& query) noexcept {
    return guarded("request_logs.query", [&]() -> sdk::Result<sdk::RequestLogPage> {
        SqliteFilter filter(common::requestLogConditions(query));
        auto lock = connection_.lock();
        return fetchPage<sdk::RequestLogPage>(connection_, kSource, std::move(filter),
                                              query.before_id, query.limit, readLog);
    });
}

}  // namespace sluice::plugins::storage_sqlite
