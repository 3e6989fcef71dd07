#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Request metadata in the `request_logs` table; a batch is one transaction. Thread-safe; borrows
/// the backend's pool.
class PostgresRequestLogRepository final : public sdk::RequestLogRepository {
public:
    explicit PostgresRequestLogRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status append(const std::vector<sdk::RequestLogRecord>& records) noexcept override;
    sdk::Result<sdk::RequestLogRecord> get(std::string_view id) noexcept override;
    sdk::Result<sdk::RequestLogPage> query(const sdk::RequestLogQuery& query) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
