#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_responses.hpp"

namespace sluice::plugins::storage_postgres {

/// Sealed stored answers of the opt-in response store. Thread-safe; borrows
/// the backend's pool.
class PostgresResponseRepository final : public sdk::ResponseRepository {
public:
    explicit PostgresResponseRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status save(const sdk::StoredResponseRecord& record) noexcept override;
    sdk::Result<sdk::StoredResponseRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::StoredResponseRecord>> list(
        const sdk::StoredResponseQuery& query) noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
