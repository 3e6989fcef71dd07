#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// The operator audit trail in `audit_log`, read back newest first. Thread-safe; borrows the
/// backend's connection.
class SqliteAuditRepository final : public sdk::AuditRepository {
public:
    explicit SqliteAuditRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status append(const sdk::AuditRecord& record) noexcept override;
    sdk::Result<sdk::AuditRecord> get(std::string_view id) noexcept override;
    /// InvalidArgument for a zero limit or a cursor naming no stored row.
    sdk::Result<sdk::AuditPage> query(const sdk::AuditQuery& query) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
