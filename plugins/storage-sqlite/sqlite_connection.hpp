#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>

#include "sqlite_config.hpp"
#include "sqlite_statement.hpp"

struct sqlite3;

namespace sluice::plugins::storage_sqlite {

/// The backend's single SQLite connection: WAL journal, the configured `synchronous`, a busy
/// timeout and foreign keys on. Thread-safe only through lock(): every other member must be
/// called while holding it. Throws SqliteError.
class SqliteConnection final {
public:
    /// Opens (creating when missing) the file at `config.path`; its directory must exist.
    explicit SqliteConnection(const SqliteConfig& config);
    ~SqliteConnection();

    SqliteConnection(const SqliteConnection&) = delete;
    SqliteConnection& operator=(const SqliteConnection&) = delete;

    /// Serialises use of the connection; hold it for the whole of one repository operation.
    [[nodiscard]] std::unique_lock<std::mutex> lock();

    /// Prepares one statement on this connection.
    SqliteStatement prepare(std::string_view sql);
    /// Runs one or more statements that return no rows.
    void exec(const std::string& sql);
    /// The first column of the first row of `sql` as text; empty when there is no row.
    std::string queryText(std::string_view sql);
    /// Rows changed by the most recent INSERT, UPDATE or DELETE.
    std::int64_t changes() const noexcept;

private:
    sqlite3* db_ = nullptr;
    std::mutex mutex_;
};

}  // namespace sluice::plugins::storage_sqlite
