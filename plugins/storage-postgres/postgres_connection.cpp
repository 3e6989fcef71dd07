#include "postgres_connection.hpp"

#include <libpq-fe.h>

#include <charconv>
#include <stdexcept>

#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr int kTextFormat = 0;
constexpr int kBinaryFormat = 1;

std::string trimmed(const char* message) {
    std::string text = message != nullptr ? message : "";
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

template <class Number>
Number parseNumber(const char* text, std::size_t length, int column) {
    Number value{};
    const auto [end, error] = std::from_chars(text, text + length, value);
    if (error != std::errc() || end != text + length) {
        throw std::runtime_error("column " + std::to_string(column) + " is not a number");
    }
    return value;
}

}  // namespace

PostgresParams& PostgresParams::add(std::string value, int format, bool null) {
    values_.push_back(std::move(value));
    formats_.push_back(format);
    nulls_.push_back(null);
    return *this;
}

PostgresParams& PostgresParams::text(std::string_view value) {
    // libpq reads text parameters up to the first NUL and PostgreSQL text cannot hold one: refuse
    // rather than store a silently shortened value (class 22, so InvalidArgument).
    if (value.find('\0') != std::string_view::npos) {
        throw PostgresError("22021", "text value contains a NUL byte");
    }
    return add(std::string(value), kTextFormat);
}

PostgresParams& PostgresParams::integer(std::int64_t value) {
    return add(std::to_string(value), kTextFormat);
}

PostgresParams& PostgresParams::counter(std::uint64_t value) {
    return integer(static_cast<std::int64_t>(value));
}

PostgresParams& PostgresParams::real(double value) {
    char buffer[32];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    return add(std::string(buffer, result.ptr), kTextFormat);
}

PostgresParams& PostgresParams::boolean(bool value) {
    return add(value ? "true" : "false", kTextFormat);
}

PostgresParams& PostgresParams::bytes(std::string_view value) {
    return add(std::string(value), kBinaryFormat);
}

PostgresParams& PostgresParams::optionalText(const std::optional<std::string>& value) {
    return value ? text(*value) : add({}, kTextFormat, true);
}

PostgresResult::~PostgresResult() {
    PQclear(result_);
}

int PostgresResult::rows() const noexcept {
    return PQntuples(result_);
}

std::uint64_t PostgresResult::affected() const {
    const char* count = PQcmdTuples(result_);
    const std::size_t length = std::char_traits<char>::length(count);
    return length == 0 ? 0 : parseNumber<std::uint64_t>(count, length, 0);
}

bool PostgresResult::isNull(int row, int column) const noexcept {
    return PQgetisnull(result_, row, column) != 0;
}

std::string PostgresResult::text(int row, int column) const {
    return {PQgetvalue(result_, row, column),
            static_cast<std::size_t>(PQgetlength(result_, row, column))};
}

std::int64_t PostgresResult::integer(int row, int column) const {
    return parseNumber<std::int64_t>(PQgetvalue(result_, row, column),
                                     static_cast<std::size_t>(PQgetlength(result_, row, column)),
                                     column);
}

std::uint64_t PostgresResult::counter(int row, int column) const {
    return static_cast<std::uint64_t>(integer(row, column));
}

double PostgresResult::real(int row, int column) const {
    return parseNumber<double>(PQgetvalue(result_, row, column),
                               static_cast<std::size_t>(PQgetlength(result_, row, column)), column);
}

bool PostgresResult::boolean(int row, int column) const {
    return PQgetvalue(result_, row, column)[0] == 't';
}

std::string PostgresResult::bytes(int row, int column) const {
    std::size_t length = 0;
    unsigned char* raw = PQunescapeBytea(
        reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, column)), &length);
    if (raw == nullptr) {
        throw std::runtime_error("column " + std::to_string(column) + " is not bytea");
    }
    std::string value(reinterpret_cast<const char*>(raw), length);
    PQfreemem(raw);
    return value;
}

PostgresConnection::PostgresConnection(
    const std::vector<std::pair<std::string, std::string>>& params) {
    std::vector<const char*> keywords;
    std::vector<const char*> values;
    for (const auto& [keyword, value] : params) {
        keywords.push_back(keyword.c_str());
        values.push_back(value.c_str());
    }
    keywords.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = PQconnectdbParams(keywords.data(), values.data(), 1);
    if (conn_ == nullptr) {
        throw PostgresError({}, "out of memory opening a connection");
    }
    if (PQstatus(conn_) != CONNECTION_OK) {
        const std::string message = trimmed(PQerrorMessage(conn_));
        PQfinish(conn_);
        conn_ = nullptr;
        throw PostgresError({}, "cannot connect: " + message);
    }
    // libpq prints server notices (e.g. "already exists, skipping") to stderr by default; they
    // are informational and the gateway's stderr is its log.
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
}

PostgresConnection::~PostgresConnection() {
    PQfinish(conn_);
}

PostgresResult PostgresConnection::check(pg_result* result) {
    const ExecStatusType status = PQresultStatus(result);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return PostgresResult(result);
    }
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    std::string sqlstate = state != nullptr ? state : "";
    std::string message =
        trimmed(result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn_));
    PQclear(result);
    throw PostgresError(std::move(sqlstate), message);
}

PostgresResult PostgresConnection::exec(std::string_view sql, const PostgresParams& params) {
    std::vector<const char*> values;
    std::vector<int> lengths;
    values.reserve(params.values_.size());
    lengths.reserve(params.values_.size());
    for (std::size_t i = 0; i < params.values_.size(); ++i) {
        values.push_back(params.nulls_[i] ? nullptr : params.values_[i].c_str());
        lengths.push_back(static_cast<int>(params.values_[i].size()));
    }
    return check(PQexecParams(conn_, std::string(sql).c_str(), params.size(), nullptr,
                              values.data(), lengths.data(), params.formats_.data(), kTextFormat));
}

void PostgresConnection::execScript(std::string_view sql) {
    check(PQexec(conn_, std::string(sql).c_str()));
}

bool PostgresConnection::healthy() const noexcept {
    return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

std::string PostgresConnection::describe() const {
    const char* host = PQhost(conn_);
    const char* port = PQport(conn_);
    const char* database = PQdb(conn_);
    return std::string(host != nullptr ? host : "") + ":" + (port != nullptr ? port : "") + "/" +
           (database != nullptr ? database : "");
}

PostgresTransaction::PostgresTransaction(PostgresConnection& connection) : connection_(connection) {
    connection_.exec("BEGIN");
}

PostgresTransaction::~PostgresTransaction() {
    if (open_) {
        try {
            connection_.exec("ROLLBACK");
        } catch (const PostgresError&) {
            // A lost connection rolls back on the server by itself.
        }
    }
}

void PostgresTransaction::commit() {
    connection_.exec("COMMIT");
    open_ = false;
}

}  // namespace sluice::plugins::storage_postgres
