#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// The audit trail in the `audit_log` table. Thread-safe; borrows the backend's pool.
class PostgresAuditRepository final : public sdk::AuditRepository {
public:
    explicit PostgresAuditRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status append(const sdk::AuditRecord& record) noexcept override;
    sdk::Result<sdk::AuditRecord> get(std::string_view id) noexcept override;
    sdk::Result<sdk::AuditPage> query(const sdk::AuditQuery& query) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
