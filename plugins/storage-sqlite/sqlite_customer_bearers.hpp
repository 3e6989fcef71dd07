#pragma once

#include "sluice/sdk/storage_wallets.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// The customers whose username acts as a bearer (SDK 2.4), one row each in customer_bearers.
/// Thread-safe (the connection's lock).
class SqliteCustomerBearers final : public sdk::CustomerBearerRepository {
public:
    explicit SqliteCustomerBearers(SqliteConnection& connection) : connection_(connection) {}

    sdk::Status setUsernameBearer(std::string_view customer_id, bool enabled) noexcept override;
    sdk::Result<std::vector<std::string>> usernameBearers() noexcept override;

private:
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
