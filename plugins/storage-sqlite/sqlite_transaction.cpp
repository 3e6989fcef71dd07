#include "sqlite_transaction.hpp"

namespace sluice::plugins::storage_sqlite {

SqliteTransaction::SqliteTransaction(SqliteConnection& connection) : connection_(connection) {
    connection_.exec("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction() {
    if (!open_) {
        return;
    }
    try {
        connection_.exec("ROLLBACK");
    } catch (const std::exception&) {
        // SQLite already rolled back on its own (e.g. after an I/O error); nothing is left open.
    }
}

void SqliteTransaction::commit() {
    connection_.exec("COMMIT");
    open_ = false;
}

}  // namespace sluice::plugins::storage_sqlite
