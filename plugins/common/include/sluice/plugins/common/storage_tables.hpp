#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/status.hpp"
#include "sluice/sdk/storage_transfer.hpp"

namespace sluice::plugins::common {

// The tables every first-party SQL backend holds, as sdk::StorageTransfer names them: one list,
// so storage-sqlite and storage-postgres export and import the same tables and columns with the
// meanings of storage_codec.hpp. A backend's own bookkeeping (schema_migrations, the insertion
// counters PostgreSQL keeps in `seq`) is not part of it.

/// How a column is stored. A Boolean travels as an Integer 0 or 1.
enum class ColumnType { Integer, Real, Text, Bytes, Boolean };

struct TransferColumn {
    const char* name;
    ColumnType type;
};

struct TransferTable {
    const char* name;
    std::vector<TransferColumn> columns;
    /// Export order: these columns (text compared bytewise) ...
    std::vector<const char*> order;
    /// ... then the order rows were inserted in, for tables whose lists keep creation order
    /// among rows created in the same millisecond. An import inserts rows in export order, so
    /// the copy keeps it.
    bool insertion_order = false;
};

/// Rows handed to a sink at once, and inserted by one statement where the backend batches.
inline constexpr std::size_t kTransferBatch = 500;

/// Every table, parents before the tables that reference them.
const std::vector<TransferTable>& transferTables();

/// The SDK's description of a table: its name and column names.
sdk::StoredTable storedTable(const TransferTable& table);

/// The table an import names, checked against the list: InvalidArgument when the name is
/// unknown or the columns differ.
sdk::Result<const TransferTable*> importedTable(const sdk::StoredTable& table);

/// InvalidArgument when a row's width or a value's type does not fit the table's columns.
sdk::Status checkRow(const TransferTable& table, const sdk::StoredRow& row);

/// `SELECT <columns> FROM <table> ORDER BY <order>`: `text_collation` follows each text order
/// column (e.g. ` COLLATE "C"`), `insertion_column` ends the order when the table keeps
/// insertion order.
std::string exportSql(const TransferTable& table, std::string_view text_collation,
                      std::string_view insertion_column);

/// `INSERT INTO <table> (<columns>) VALUES (...), ...` for `rows` rows, parameters numbered from
/// 1 after `placeholder` (`?` for SQLite, `$` for PostgreSQL).
std::string importSql(const TransferTable& table, char placeholder, std::size_t rows);

/// Collects exported rows and hands them to the sink kTransferBatch at a time.
class RowBatch final {
public:
    explicit RowBatch(sdk::StoredRowSink& sink) : sink_(sink) {}

    /// Queues a row; passes a full batch on and returns the sink's status.
    sdk::Status add(sdk::StoredRow row);
    /// Passes any queued rows on.
    sdk::Status flush();

private:
    sdk::StoredRowSink& sink_;
    std::vector<sdk::StoredRow> rows_;
};

sdk::StoredValue integerValue(std::int64_t value);
sdk::StoredValue realValue(double value);
sdk::StoredValue textValue(std::string value);
sdk::StoredValue bytesValue(std::string value);

}  // namespace sluice::plugins::common
