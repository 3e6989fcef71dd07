#include "postgres_request_log_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"
#include "postgres_page_query.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kColumns =
    "id, started_at, pool, key_prefix, model, route, route_class, account_id, account_label, "
    "status, error_code, attempts, input_tokens, cached_input_tokens, output_tokens, "
    "reasoning_tokens, latency_us, first_byte_us, routing_json, method, route_path";

constexpr PageSource kSource{"request_logs", "started_at", kColumns};

sdk::RequestLogRecord readLog(const PostgresResult& rows, int row) {
    sdk::RequestLogRecord log;
    log.id = rows.text(row, 0);
    log.started_at = fromMillis(rows.integer(row, 1));
    log.pool = rows.text(row, 2);
    log.key_prefix = rows.text(row, 3);
    log.model = rows.text(row, 4);
    log.route = rows.text(row, 5);
    log.route_class = rows.text(row, 6);
    log.account_id = rows.text(row, 7);
    log.account_label = rows.text(row, 8);
    log.status = static_cast<int>(rows.integer(row, 9));
    log.error_code = rows.text(row, 10);
    log.attempts = static_cast<std::uint32_t>(rows.integer(row, 11));
    log.input_tokens = rows.counter(row, 12);
    log.cached_input_tokens = rows.counter(row, 13);
    log.output_tokens = rows.counter(row, 14);
    log.reasoning_tokens = rows.counter(row, 15);
    log.latency_us = rows.integer(row, 16);
    log.first_byte_us = rows.integer(row, 17);
    log.routing_json = rows.text(row, 18);
    log.method = rows.text(row, 19);
    log.route_path = rows.text(row, 20);
    return log;
}

PostgresParams logParams(const sdk::RequestLogRecord& log) {
    PostgresParams params;
    params.text(log.id)
        .integer(toMillis(log.started_at))
        .text(log.pool)
        .text(log.key_prefix)
        .text(log.model)
        .text(log.route)
        .text(log.route_class)
        .text(log.account_id)
        .text(log.account_label)
        .integer(log.status)
        .text(log.error_code)
        .integer(log.attempts)
        .counter(log.input_tokens)
        .counter(log.cached_input_tokens)
        .counter(log.output_tokens)
        .counter(log.reasoning_tokens)
        .integer(log.latency_us)
        .integer(log.first_byte_us)
        .text(log.routing_json)
        .text(log.method)
        .text(log.route_path);
    return params;
}

}  // namespace

sdk::Status PostgresRequestLogRepository::append(
    const std::vector<sdk::RequestLogRecord>& records) noexcept {
    if (records.empty()) {
        return sdk::Status::success();
    }
    return guarded("request_logs.append", [&] {
        const std::string insert = std::string("INSERT INTO request_logs (") + kColumns +
                                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, "
                                   "$13, $14, $15, $16, $17, $18, $19, $20, $21)";
        auto connection = pool_.acquire();
        PostgresTransaction transaction(*connection);
        for (const sdk::RequestLogRecord& log : records) {
            connection->exec(insert, logParams(log));
        }
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::RequestLogRecord> PostgresRequestLogRepository::get(std::string_view id) noexcept {
    return guarded("request_logs.get", [&]() -> sdk::Result<sdk::RequestLogRecord> {
        const PostgresResult rows = pool_.acquire()->exec(
            std::string("SELECT ") + kColumns + " FROM request_logs WHERE id = $1",
            PostgresParams().text(id));
        if (rows.rows() == 0) {
            return notFound("request log", id);
        }
        return readLog(rows, 0);
    });
}

sdk::Result<sdk::RequestLogPage> PostgresRequestLogRepository::query(
    const sdk::RequestLogQuery& query) noexcept {
    return guarded("request_logs.query", [&]() -> sdk::Result<sdk::RequestLogPage> {
        PostgresFilter filter(common::requestLogConditions(query));
        return fetchPage<sdk::RequestLogPage>(pool_, kSource, std::move(filter), query.before_id,
                                              query.limit, readLog);
    });
}

}  // namespace sluice::plugins::storage_postgres
