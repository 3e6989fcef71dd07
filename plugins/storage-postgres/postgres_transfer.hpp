#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_transfer.hpp"

namespace sluice::plugins::storage_postgres {

/// The database's rows as typed values (the storage kit's transfer tables). An export reads
/// every table through a cursor inside one REPEATABLE READ, READ ONLY transaction (one snapshot,
/// while other gateways keep writing); an import holds one pooled connection and one
/// transaction until it ends. Thread-safe.
class PostgresTransfer final : public sdk::StorageTransfer {
public:
    explicit PostgresTransfer(PostgresPool& pool) : pool_(pool) {}

    sdk::Status exportRows(sdk::StoredRowSink& sink) noexcept override;
    sdk::Result<std::unique_ptr<sdk::StoredRowImport>> beginImport(bool replace) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
