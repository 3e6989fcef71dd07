#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Daily usage buckets in the `usage_buckets` table, summed by upsert. Thread-safe.
class SqliteUsageRepository final : public sdk::UsageRepository {
public:
    explicit SqliteUsageRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status add(const std::vector<sdk::UsageBucket>& deltas) noexcept override;
    sdk::Result<std::vector<sdk::UsageBucket>> query(
        const sdk::UsageQuery& query) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
