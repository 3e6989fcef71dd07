#pragma once

#include "sluice/sdk/storage_backend.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// File ownership records in the `files` table. Thread-safe (the connection's lock).
class SqliteFileRepository final : public sdk::FileRepository {
public:
    explicit SqliteFileRepository(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status put(const sdk::FileRecord& file) noexcept override;
    sdk::Result<sdk::FileRecord> get(std::string_view pool, std::string_view id,
                                     sdk::TimePoint now) noexcept override;
    sdk::Result<std::vector<sdk::FileRecord>> list(std::string_view pool, sdk::TimePoint now,
                                                   std::uint32_t limit) noexcept override;
    sdk::Status remove(std::string_view pool, std::string_view id) noexcept override;
    sdk::Result<std::uint64_t> purgeExpired(sdk::TimePoint now) noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
