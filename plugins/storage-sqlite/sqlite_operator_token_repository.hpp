#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Admin and MCP tokens (prefix + hash) in `operator_tokens`. Thread-safe; borrows the connection.
class SqliteOperatorTokenRepository final : public sdk::OperatorTokenRepository {
public:
    explicit SqliteOperatorTokenRepository(SqliteConnection& connection)
        : connection_(connection) {}

    sdk::Status create(const sdk::OperatorTokenRecord& token) noexcept override;
    sdk::Result<sdk::OperatorTokenRecord> findByPrefix(std::string_view prefix) noexcept override;
    /// Ordered by creation time.
    sdk::Result<std::vector<sdk::OperatorTokenRecord>> list(
        sdk::OperatorTokenKind kind) noexcept override;
    sdk::Status setStatus(std::string_view prefix, sdk::CredentialStatus status) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
