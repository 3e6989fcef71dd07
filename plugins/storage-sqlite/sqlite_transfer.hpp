#pragma once

#include "sluice/sdk/storage_transfer.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// The database's rows as typed values (the storage kit's transfer tables). An export reads one
/// snapshot in a deferred read transaction, so a gateway running on the same file keeps
/// writing meanwhile. An import holds the connection's lock and one write transaction until it
/// commits or ends: the backend takes no other call meanwhile. Thread-safe otherwise.
class SqliteTransfer final : public sdk::StorageTransfer {
public:
    explicit SqliteTransfer(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status exportRows(sdk::StoredRowSink& sink) noexcept override;
    sdk::Result<std::unique_ptr<sdk::StoredRowImport>> beginImport(bool replace) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
