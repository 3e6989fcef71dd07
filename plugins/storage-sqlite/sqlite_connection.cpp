#include "sqlite_connection.hpp"

#include <sqlite3.h>

#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

SqliteConnection::SqliteConnection(const SqliteConfig& config) {
    // The connection is serialised by mutex_, so SQLite's own per-connection mutex is redundant;
    // extended result codes tell a unique-key conflict from other constraint failures.
    constexpr int kFlags =
        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
    const int rc = sqlite3_open_v2(config.path.c_str(), &db_, kFlags, nullptr);
    if (rc != SQLITE_OK) {
        const std::string message = db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw SqliteError(rc, "cannot open '" + config.path + "': " + message);
    }
    try {
        sqlite3_busy_timeout(db_, static_cast<int>(config.busy_timeout.count()));
        // WAL lets readers (the CLI, backups) work while the server writes. Even with
        // synchronous=NORMAL a commit is in the WAL file before COMMIT returns, so killing the
        // process cannot lose it; only an OS crash or power loss can, which `full` covers.
        const std::string journal = queryText("PRAGMA journal_mode=WAL");
        if (journal != "wal") {
            throw SqliteError(SQLITE_CANTOPEN, "cannot enable WAL on '" + config.path +
                                                   "' (journal_mode is '" + journal + "')");
        }
        exec(std::string("PRAGMA synchronous=") + syncModeName(config.synchronous));
        exec("PRAGMA foreign_keys=ON");
    } catch (...) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

SqliteConnection::~SqliteConnection() {
    sqlite3_close_v2(db_);
}

std::unique_lock<std::mutex> SqliteConnection::lock() {
    return std::unique_lock(mutex_);
}

SqliteStatement SqliteConnection::prepare(std::string_view sql) {
    return {db_, sql};
}

void SqliteConnection::exec(const std::string& sql) {
    char* message = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        const std::string text = message != nullptr ? message : sqlite3_errstr(rc);
        sqlite3_free(message);
        throw SqliteError(rc, text);
    }
}

std::string SqliteConnection::queryText(std::string_view sql) {
    SqliteStatement statement(db_, sql);
    return statement.step() ? statement.columnText(0) : std::string();
}

std::int64_t SqliteConnection::changes() const noexcept {
    return sqlite3_changes64(db_);
}

}  // namespace sluice::plugins::storage_sqlite
