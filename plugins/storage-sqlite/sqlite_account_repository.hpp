#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Upstream accounts in the `accounts` table; removing one drops its quota snapshots.
/// Thread-safe; borrows the backend's connection.
class SqliteAccountRepository final : public sdk::AccountRepository {
public:
    explicit SqliteAccountRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status create(const sdk::AccountRecord& account) noexcept override;
    sdk::Status update(const sdk::AccountRecord& account) noexcept override;
    sdk::Result<sdk::AccountRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::AccountRecord>> list(
        std::optional<std::string_view> pool) noexcept override;
    sdk::Status updateStatus(std::string_view id, sdk::AccountStatus status,
                             std::string_view reason, sdk::TimePoint updated_at) noexcept override;
    /// Also clears the status reason: new credentials start a fresh story.
    sdk::Status updateCredentials(std::string_view id, const sdk::AccountCredentials& credentials,
                                  sdk::AccountStatus status,
                                  sdk::TimePoint updated_at) noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
