#include "sqlite_transfer.hpp"

#include <mutex>
#include <optional>

#include "sluice/plugins/common/storage_tables.hpp"
#include "sqlite_error.hpp"
#include "sqlite_transaction.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

using common::ColumnType;
using common::TransferTable;

/// A deferred read transaction: the first read fixes the snapshot every later read sees, and no
/// write lock is taken. Ends on destruction.
class ReadSnapshot final {
public:
    explicit ReadSnapshot(SqliteConnection& connection) : connection_(connection) {
        connection_.exec("BEGIN");
    }
    ~ReadSnapshot() {
        try {
            connection_.exec("COMMIT");
        } catch (const std::exception&) {
            // Nothing was written; SQLite ends the read transaction itself when it fails.
        }
    }
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    SqliteConnection& connection_;
};

sdk::StoredValue readValue(const SqliteStatement& row, int column, ColumnType type) {
    switch (type) {
        case ColumnType::Real:
            return common::realValue(row.columnDouble(column));
        case ColumnType::Text:
            return common::textValue(row.columnText(column));
        case ColumnType::Bytes:
            return common::bytesValue(row.columnBlob(column));
        case ColumnType::Integer:
        case ColumnType::Boolean:
            break;
    }
    return common::integerValue(row.columnInt(column));
}

void bindValue(SqliteStatement& insert, int index, const sdk::StoredValue& value) {
    switch (value.type) {
        case sdk::StoredValue::Type::Real:
            insert.bindDouble(index, value.real);
            return;
        case sdk::StoredValue::Type::Text:
            insert.bindText(index, value.text);
            return;
        case sdk::StoredValue::Type::Bytes:
            insert.bindBlob(index, value.text);
            return;
        case sdk::StoredValue::Type::Integer:
            insert.bindInt(index, value.integer);
            return;
    }
}

sdk::Status exportTable(SqliteConnection& connection, const TransferTable& table,
                        sdk::StoredRowSink& sink) {
    if (sdk::Status announced = sink.table(common::storedTable(table)); !announced.ok()) {
        return announced;
    }
    SqliteStatement select = connection.prepare(common::exportSql(table, "", "rowid"));
    common::RowBatch batch(sink);
    while (select.step()) {
        sdk::StoredRow row;
        row.reserve(table.columns.size());
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            row.push_back(readValue(select, static_cast<int>(i), table.columns[i].type));
        }
        if (sdk::Status passed = batch.add(std::move(row)); !passed.ok()) {
            return passed;
        }
    }
    return batch.flush();
}

/// Rows going into the database in one write transaction, under the connection's lock.
class SqliteRowImport final : public sdk::StoredRowImport {
public:
    SqliteRowImport(SqliteConnection& connection, bool replace)
        : connection_(connection), lock_(connection.lock()), transaction_(connection) {
        if (replace) {
            const auto& tables = common::transferTables();
            for (auto table = tables.rbegin(); table != tables.rend(); ++table) {
                connection_.exec("DELETE FROM " + std::string(table->name));
            }
        }
    }

    sdk::Status rows(const sdk::StoredTable& table,
                     const std::vector<sdk::StoredRow>& rows) noexcept override {
        return guarded("transfer.import", [&] {
            if (!lock_.owns_lock()) {
                return sdk::Status(sdk::StatusCode::FailedPrecondition, "the import was committed");
            }
            const auto target = common::importedTable(table);
            if (!target.ok()) {
                return target.status();
            }
            SqliteStatement insert =
                connection_.prepare(common::importSql(*target.value(), '?', 1));
            for (const sdk::StoredRow& row : rows) {
                if (sdk::Status fits = common::checkRow(*target.value(), row); !fits.ok()) {
                    return fits;
                }
                for (std::size_t i = 0; i < row.size(); ++i) {
                    bindValue(insert, static_cast<int>(i + 1), row[i]);
                }
                insert.run();
                insert.reset();
            }
            return sdk::Status::success();
        });
    }

    sdk::Status commit() noexcept override {
        return guarded("transfer.commit", [&] {
            if (!lock_.owns_lock()) {
                return sdk::Status(sdk::StatusCode::FailedPrecondition, "the import was committed");
            }
            transaction_.commit();
            lock_.unlock();  // the backend serves other calls again
            return sdk::Status::success();
        });
    }

private:
    SqliteConnection& connection_;
    std::unique_lock<std::mutex> lock_;
    SqliteTransaction transaction_;
};

}  // namespace

sdk::Status SqliteTransfer::exportRows(sdk::StoredRowSink& sink) noexcept {
    return guarded("transfer.export", [&] {
        auto lock = connection_.lock();
        const ReadSnapshot snapshot(connection_);
        for (const TransferTable& table : common::transferTables()) {
            if (sdk::Status exported = exportTable(connection_, table, sink); !exported.ok()) {
                return exported;
            }
        }
        return sdk::Status::success();
    });
}

sdk::Result<std::unique_ptr<sdk::StoredRowImport>> SqliteTransfer::beginImport(
    bool replace) noexcept {
    return guarded("transfer.begin_import",
                   [&]() -> sdk::Result<std::unique_ptr<sdk::StoredRowImport>> {
                       return std::unique_ptr<sdk::StoredRowImport>(
                           std::make_unique<SqliteRowImport>(connection_, replace));
                   });
}

}  // namespace sluice::plugins::storage_sqlite
