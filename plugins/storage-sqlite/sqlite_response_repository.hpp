#pragma once

#include "sluice/sdk/storage_responses.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Sealed stored answers of the opt-in response store. Thread-safe (the
/// connection's lock).
class SqliteResponseRepository final : public sdk::ResponseRepository {
public:
    explicit SqliteResponseRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status save(const sdk::StoredResponseRecord& record) noexcept override;
    sdk::Result<sdk::StoredResponseRecord> get(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::StoredResponseRecord>> list(
        const sdk::StoredResponseQuery& query) noexcept override;
    sdk::Status remove(std::string_view id) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
