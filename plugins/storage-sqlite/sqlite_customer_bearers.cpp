#include "sqlite_customer_bearers.hpp"

#include "sqlite_error.hpp"

namespace sluice::plugins::storage_sqlite {

sdk::Status SqliteCustomerBearers::setUsernameBearer(std::string_view customer_id,
                                                     bool enabled) noexcept {
    return guarded("wallets.set_username_bearer", [&] {
        auto lock = connection_.lock();
        SqliteStatement known = connection_.prepare("SELECT 1 FROM customers WHERE id = ?1");
        known.bindText(1, customer_id);
        if (!known.step()) {
            return notFound("customer", customer_id);
        }
        SqliteStatement change = connection_.prepare(
            enabled
                ? "INSERT INTO customer_bearers (customer_id) VALUES (?1) ON CONFLICT DO NOTHING"
                : "DELETE FROM customer_bearers WHERE customer_id = ?1");
        change.bindText(1, customer_id);
        change.run();
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<std::string>> SqliteCustomerBearers::usernameBearers() noexcept {
    return guarded("wallets.username_bearers", [&]() -> sdk::Result<std::vector<std::string>> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare("SELECT customer_id FROM customer_bearers ORDER BY customer_id");
        std::vector<std::string> ids;
        while (select.step()) {
            ids.push_back(select.columnText(0));
        }
        return ids;
    });
}

}  // namespace sluice::plugins::storage_sqlite
