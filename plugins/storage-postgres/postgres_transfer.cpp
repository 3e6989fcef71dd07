#include "postgres_transfer.hpp"

#include <algorithm>

#include "postgres_error.hpp"
#include "sluice/plugins/common/storage_tables.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

using common::ColumnType;
using common::TransferTable;

// PostgreSQL takes at most 65535 parameters in one statement.
constexpr std::size_t kMaxParameters = 60'000;

sdk::StoredValue readValue(const PostgresResult& rows, int row, int column, ColumnType type) {
    switch (type) {
        case ColumnType::Real:
            return common::realValue(rows.real(row, column));
        case ColumnType::Text:
            return common::textValue(rows.text(row, column));
        case ColumnType::Bytes:
            return common::bytesValue(rows.bytes(row, column));
        case ColumnType::Boolean:
            return common::integerValue(rows.boolean(row, column) ? 1 : 0);
        case ColumnType::Integer:
            break;
    }
    return common::integerValue(rows.integer(row, column));
}

void addValue(PostgresParams& params, const sdk::StoredValue& value, ColumnType type) {
    switch (type) {
        case ColumnType::Real:
            params.real(value.real);
            return;
        case ColumnType::Text:
            params.text(value.text);
            return;
        case ColumnType::Bytes:
            params.bytes(value.text);
            return;
        case ColumnType::Boolean:
            params.boolean(value.integer != 0);
            return;
        case ColumnType::Integer:
            params.integer(value.integer);
            return;
    }
}

sdk::Status exportTable(PostgresConnection& connection, const TransferTable& table,
                        sdk::StoredRowSink& sink) {
    if (sdk::Status announced = sink.table(common::storedTable(table)); !announced.ok()) {
        return announced;
    }
    connection.exec("DECLARE transfer NO SCROLL CURSOR FOR " +
                    common::exportSql(table, " COLLATE \"C\"", "seq"));
    const std::string fetch = "FETCH " + std::to_string(common::kTransferBatch) + " FROM transfer";
    for (;;) {
        const PostgresResult rows = connection.exec(fetch);
        if (rows.rows() == 0) {
            break;
        }
        std::vector<sdk::StoredRow> batch;
        batch.reserve(static_cast<std::size_t>(rows.rows()));
        for (int row = 0; row < rows.rows(); ++row) {
            sdk::StoredRow values;
            values.reserve(table.columns.size());
            for (std::size_t i = 0; i < table.columns.size(); ++i) {
                values.push_back(readValue(rows, row, static_cast<int>(i), table.columns[i].type));
            }
            batch.push_back(std::move(values));
        }
        if (sdk::Status passed = sink.rows(batch); !passed.ok()) {
            return passed;
        }
    }
    connection.exec("CLOSE transfer");
    return sdk::Status::success();
}

/// Rows going into the database over one pooled connection, in one transaction.
class PostgresRowImport final : public sdk::StoredRowImport {
public:
    PostgresRowImport(PostgresPool& pool, bool replace)
        : lease_(pool.acquire()), transaction_(*lease_) {
        if (replace) {
            const auto& tables = common::transferTables();
            for (auto table = tables.rbegin(); table != tables.rend(); ++table) {
                lease_->exec("DELETE FROM " + std::string(table->name));
            }
        }
    }

    sdk::Status rows(const sdk::StoredTable& table,
                     const std::vector<sdk::StoredRow>& rows) noexcept override {
        return guarded("transfer.import", [&] {
            if (committed_) {
                return sdk::Status(sdk::StatusCode::FailedPrecondition, "the import was committed");
            }
            const auto target = common::importedTable(table);
            if (!target.ok()) {
                return target.status();
            }
            const TransferTable& spec = *target.value();
            const std::size_t per_statement = kMaxParameters / spec.columns.size();
            for (std::size_t first = 0; first < rows.size(); first += per_statement) {
                const std::size_t count = std::min(per_statement, rows.size() - first);
                PostgresParams params;
                for (std::size_t r = first; r < first + count; ++r) {
                    if (sdk::Status fits = common::checkRow(spec, rows[r]); !fits.ok()) {
                        return fits;
                    }
                    for (std::size_t i = 0; i < rows[r].size(); ++i) {
                        addValue(params, rows[r][i], spec.columns[i].type);
                    }
                }
                lease_->exec(common::importSql(spec, '$', count), params);
            }
            return sdk::Status::success();
        });
    }

    sdk::Status commit() noexcept override {
        return guarded("transfer.commit", [&] {
            if (committed_) {
                return sdk::Status(sdk::StatusCode::FailedPrecondition, "the import was committed");
            }
            transaction_.commit();
            committed_ = true;
            return sdk::Status::success();
        });
    }

private:
    PostgresPool::Lease lease_;
    PostgresTransaction transaction_;
    bool committed_ = false;
};

}  // namespace

sdk::Status PostgresTransfer::exportRows(sdk::StoredRowSink& sink) noexcept {
    return guarded("transfer.export", [&] {
        auto connection = pool_.acquire();
        PostgresTransaction transaction(*connection);
        connection->exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
        for (const TransferTable& table : common::transferTables()) {
            if (sdk::Status exported = exportTable(*connection, table, sink); !exported.ok()) {
                return exported;
            }
        }
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<std::unique_ptr<sdk::StoredRowImport>> PostgresTransfer::beginImport(
    bool replace) noexcept {
    return guarded("transfer.begin_import",
                   [&]() -> sdk::Result<std::unique_ptr<sdk::StoredRowImport>> {
                       return std::unique_ptr<sdk::StoredRowImport>(
                           std::make_unique<PostgresRowImport>(pool_, replace));
                   });
}

}  // namespace sluice::plugins::storage_postgres
