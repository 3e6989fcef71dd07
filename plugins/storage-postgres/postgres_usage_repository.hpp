#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Daily usage buckets in `usage_buckets`; adds are single upserts, so replicas never lose a count.
/// Thread-safe; borrows the backend's pool.
class PostgresUsageRepository final : public sdk::UsageRepository {
public:
    explicit PostgresUsageRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status add(const std::vector<sdk::UsageBucket>& deltas) noexcept override;
    sdk::Result<std::vector<sdk::UsageBucket>> query(
        const sdk::UsageQuery& query) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
