#pragma once

#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// BEGIN IMMEDIATE on construction, ROLLBACK on destruction unless commit() succeeded. Taking
/// the write lock up front means a busy database waits (busy_timeout) instead of failing
/// half-way. The caller holds the connection's lock for the transaction's whole life.
class SqliteTransaction final {
public:
    explicit SqliteTransaction(SqliteConnection& connection);
    ~SqliteTransaction();

    SqliteTransaction(const SqliteTransaction&) = delete;
    SqliteTransaction& operator=(const SqliteTransaction&) = delete;

    /// Makes every write since construction durable; throws SqliteError (then rolls back).
    void commit();

private:
    SqliteConnection& connection_;
    bool open_ = true;
};

}  // namespace sluice::plugins::storage_sqlite
