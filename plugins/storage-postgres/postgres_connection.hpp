#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct pg_conn;
struct pg_result;

namespace sluice::plugins::storage_postgres {

/// The parameters of one statement, $1 first. Text goes as text (PostgreSQL casts it to the
/// column's type); bytes go in binary form so NULs and high bytes survive. Plain value; text()
/// throws PostgresError (InvalidArgument) for a value holding a NUL byte.
class PostgresParams final {
public:
    PostgresParams& text(std::string_view value);
    PostgresParams& integer(std::int64_t value);
    /// Unsigned counters keep their bits in a signed BIGINT and are cast back on read.
    PostgresParams& counter(std::uint64_t value);
    PostgresParams& real(double value);
    PostgresParams& boolean(bool value);
    PostgresParams& bytes(std::string_view value);
    /// SQL NULL when absent.
    PostgresParams& optionalText(const std::optional<std::string>& value);

    int size() const noexcept { return static_cast<int>(values_.size()); }

private:
    friend class PostgresConnection;
    PostgresParams& add(std::string value, int format, bool null = false);

    std::vector<std::string> values_;
    std::vector<int> formats_;
    std::vector<bool> nulls_;
};

/// The rows of one successful statement, in text form. Owns its PGresult. Rows and columns are
/// 0-based. Throws std::runtime_error on a column that does not read as asked.
class PostgresResult final {
public:
    explicit PostgresResult(pg_result* result) noexcept : result_(result) {}
    ~PostgresResult();
    PostgresResult(PostgresResult&& other) noexcept : result_(std::exchange(other.result_, {})) {}
    PostgresResult& operator=(PostgresResult&&) = delete;
    PostgresResult(const PostgresResult&) = delete;
    PostgresResult& operator=(const PostgresResult&) = delete;

    int rows() const noexcept;
    /// Rows an INSERT, UPDATE or DELETE touched.
    std::uint64_t affected() const;

    bool isNull(int row, int column) const noexcept;
    std::string text(int row, int column) const;
    std::int64_t integer(int row, int column) const;
    std::uint64_t counter(int row, int column) const;
    double real(int row, int column) const;
    bool boolean(int row, int column) const;
    /// A BYTEA column, unescaped.
    std::string bytes(int row, int column) const;

private:
    pg_result* result_;
};

/// One libpq connection. Not thread-safe: the pool lends it to one caller at a time. Throws
/// PostgresError.
class PostgresConnection final {
public:
    /// Connects with libpq keyword/value pairs (the first may be an expanded URI).
    explicit PostgresConnection(const std::vector<std::pair<std::string, std::string>>& params);
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    /// Runs one parameterised statement.
    PostgresResult exec(std::string_view sql, const PostgresParams& params = {});
    /// Runs a parameterless script of several statements (migrations only).
    void execScript(std::string_view sql);

    /// False once the server connection is lost or left inside a transaction; the pool then
    /// drops it rather than lend it out in that state.
    bool healthy() const noexcept;
    /// Host (or socket directory), port and database, for logs: never the user or password.
    std::string describe() const;

private:
    PostgresResult check(pg_result* result);

    pg_conn* conn_ = nullptr;
};

/// BEGIN on construction; ROLLBACK on destruction unless committed. Throws PostgresError.
class PostgresTransaction final {
public:
    explicit PostgresTransaction(PostgresConnection& connection);
    ~PostgresTransaction();
    PostgresTransaction(const PostgresTransaction&) = delete;
    PostgresTransaction& operator=(const PostgresTransaction&) = delete;

    void commit();

private:
    PostgresConnection& connection_;
    bool open_ = true;
};

}  // namespace sluice::plugins::storage_postgres
