#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::plugins::storage_postgres {

/// Admin and MCP tokens in the `operator_tokens` table. Thread-safe; borrows the backend's pool.
class PostgresOperatorTokenRepository final : public sdk::OperatorTokenRepository {
public:
    explicit PostgresOperatorTokenRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status create(const sdk::OperatorTokenRecord& token) noexcept override;
    sdk::Result<sdk::OperatorTokenRecord> findByPrefix(std::string_view prefix) noexcept override;
    sdk::Result<std::vector<sdk::OperatorTokenRecord>> list(
        sdk::OperatorTokenKind kind) noexcept override;
    sdk::Status setStatus(std::string_view prefix, sdk::CredentialStatus status) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
