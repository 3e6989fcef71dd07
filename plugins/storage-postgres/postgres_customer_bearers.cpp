#include "postgres_customer_bearers.hpp"

#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

sdk::Status PostgresCustomerBearers::setUsernameBearer(std::string_view customer_id,
                                                       bool enabled) noexcept {
    return guarded("wallets.set_username_bearer", [&] {
        auto connection = pool_.acquire();
        const PostgresResult known = connection->exec("SELECT 1 FROM customers WHERE id = $1",
                                                      PostgresParams().text(customer_id));
        if (known.rows() == 0) {
            return notFound("customer", customer_id);
        }
        connection->exec(enabled ? "INSERT INTO customer_bearers (customer_id) VALUES ($1) "
                                   "ON CONFLICT DO NOTHING"
                                 : "DELETE FROM customer_bearers WHERE customer_id = $1",
                         PostgresParams().text(customer_id));
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<std::string>> PostgresCustomerBearers::usernameBearers() noexcept {
    return guarded("wallets.username_bearers", [&]() -> sdk::Result<std::vector<std::string>> {
        const PostgresResult rows =
            pool_.acquire()->exec("SELECT customer_id FROM customer_bearers ORDER BY customer_id");
        std::vector<std::string> ids;
        for (int row = 0; row < rows.rows(); ++row) {
            ids.push_back(rows.text(row, 0));
        }
        return ids;
    });
}

}  // namespace sluice::plugins::storage_postgres
