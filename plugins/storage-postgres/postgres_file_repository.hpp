#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Upstream file ownership in the `files` table. Thread-safe; borrows the backend's pool.
class PostgresFileRepository final : public sdk::FileRepository {
public:
    explicit PostgresFileRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status put(const sdk::FileRecord& file) noexcept override;
    sdk::Result<sdk::FileRecord> get(std::string_view pool, std::string_view id,
                                     sdk::TimePoint now) noexcept override;
    sdk::Result<std::vector<sdk::FileRecord>> list(std::string_view pool, sdk::TimePoint now,
                                                   std::uint32_t limit) noexcept override;
    sdk::Status remove(std::string_view pool, std::string_view id) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
