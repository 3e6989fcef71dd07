#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Conversation-to-account affinities in `affinities`; a row is expired once `now` reaches its
/// expires_at. Thread-safe; borrows the backend's connection.
class SqliteAffinityRepository final : public sdk::AffinityRepository {
public:
    explicit SqliteAffinityRepository(SqliteConnection& connection) : connection_(connection) {}

    /// Inserts or replaces by key.
    sdk::Status put(const sdk::AffinityRecord& record) noexcept override;
    sdk::Result<sdk::AffinityRecord> get(std::string_view key,
                                         sdk::TimePoint now) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
