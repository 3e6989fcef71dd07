#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Conversation-to-account affinities in the `affinities` table. Thread-safe; borrows the backend's
/// pool.
class PostgresAffinityRepository final : public sdk::AffinityRepository {
public:
    explicit PostgresAffinityRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status put(const sdk::AffinityRecord& record) noexcept override;
    sdk::Result<sdk::AffinityRecord> get(std::string_view key,
                                         sdk::TimePoint now) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
