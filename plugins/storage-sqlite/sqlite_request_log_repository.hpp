#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Request metadata in `request_logs`, read back newest first in pages of at most kMaxPageSize.
/// Thread-safe; borrows the backend's connection.
class SqliteRequestLogRepository final : public sdk::RequestLogRepository {
public:
    explicit SqliteRequestLogRepository(SqliteConnection& connection) : connection_(connection) {}

    /// One transaction for the whole batch; AlreadyExists (and nothing written) on a taken id.
    sdk::Status append(const std::vector<sdk::RequestLogRecord>& records) noexcept override;
    sdk::Result<sdk::RequestLogRecord> get(std::string_view id) noexcept override;
    /// InvalidArgument for a zero limit or a cursor naming no stored row.
    sdk::Result<sdk::RequestLogPage> query(const sdk::RequestLogQuery& query) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
