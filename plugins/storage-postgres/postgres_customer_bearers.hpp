#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::plugins::storage_postgres {

/// The customers whose username acts as a bearer (SDK 2.4), one row each in customer_bearers.
/// Thread-safe (the pool).
class PostgresCustomerBearers final : public sdk::CustomerBearerRepository {
public:
    explicit PostgresCustomerBearers(PostgresPool& pool) : pool_(pool) {}

    sdk::Status setUsernameBearer(std::string_view customer_id, bool enabled) noexcept override;
    sdk::Result<std::vector<std::string>> usernameBearers() noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
