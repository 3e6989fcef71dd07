#pragma once

#include <cstdint>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace sluice::plugins::storage_sqlite {

/// One prepared statement, finalized on destruction. Parameters are 1-based, columns 0-based.
/// Not thread-safe: use it only while holding the owning connection's lock. Throws SqliteError.
class SqliteStatement final {
public:
    SqliteStatement(sqlite3* db, std::string_view sql);
    ~SqliteStatement();

    SqliteStatement(const SqliteStatement&) = delete;
    SqliteStatement& operator=(const SqliteStatement&) = delete;

    SqliteStatement& bindText(int index, std::string_view text);
    SqliteStatement& bindInt(int index, std::int64_t value);
    SqliteStatement& bindDouble(int index, double value);
    /// Binds raw bytes (NULs included); an empty value is stored as a zero-length blob, not NULL.
    SqliteStatement& bindBlob(int index, std::string_view bytes);

    /// Advances to the next row: true when a row is available, false when the statement is done.
    bool step();
    /// Runs a statement that returns no rows.
    void run();
    /// Rewinds and clears the bindings so the statement can run again.
    void reset() noexcept;

    std::int64_t columnInt(int column) const;
    double columnDouble(int column) const;
    std::string columnText(int column) const;
    std::string columnBlob(int column) const;

private:
    [[noreturn]] void fail(int code) const;

    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

}  // namespace sluice::plugins::storage_sqlite
