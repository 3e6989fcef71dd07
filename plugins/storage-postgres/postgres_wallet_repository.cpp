#include "postgres_wallet_repository.hpp"

#include "postgres_codec.hpp"
#include "postgres_error.hpp"

namespace sluice::plugins::storage_postgres {

namespace {

constexpr const char* kSelectWallet =
    "SELECT id, customer_id, balance, created_at, updated_at FROM wallets";

constexpr const char* kSelectTransaction =
    "SELECT id, wallet_id, kind, idempotency_key, key_prefix, model, rate_card_version, "
    "input_tokens, cached_tokens, output_tokens, amount, cost, balance_after, reason, created_at "
    "FROM wallet_transactions";

std::vector<sdk::CustomerRecord> readCustomers(const PostgresResult& rows) {
    std::vector<sdk::CustomerRecord> customers;
    for (int row = 0; row < rows.rows(); ++row) {
        customers.push_back(
            {rows.text(row, 0), rows.text(row, 1), fromMillis(rows.integer(row, 2))});
    }
    return customers;
}

std::vector<sdk::WalletRecord> readWallets(const PostgresResult& rows) {
    std::vector<sdk::WalletRecord> wallets;
    for (int row = 0; row < rows.rows(); ++row) {
        wallets.push_back({rows.text(row, 0), rows.text(row, 1), rows.integer(row, 2),
                           fromMillis(rows.integer(row, 3)), fromMillis(rows.integer(row, 4))});
    }
    return wallets;
}

std::vector<sdk::WalletTransactionRecord> readTransactions(const PostgresResult& rows) {
    std::vector<sdk::WalletTransactionRecord> entries;
    for (int row = 0; row < rows.rows(); ++row) {
        sdk::WalletTransactionRecord entry;
        entry.id = rows.text(row, 0);
        entry.wallet_id = rows.text(row, 1);
        entry.kind = parseWalletEntryKind(rows.text(row, 2));
        entry.idempotency_key = rows.text(row, 3);
        entry.key_prefix = rows.text(row, 4);
        entry.model = rows.text(row, 5);
        entry.rate_card_version = static_cast<std::uint32_t>(rows.integer(row, 6));
        entry.input_tokens = rows.counter(row, 7);
        entry.cached_input_tokens = rows.counter(row, 8);
        entry.output_tokens = rows.counter(row, 9);
        entry.amount_micro_usd = rows.integer(row, 10);
        entry.cost_micro_usd = rows.integer(row, 11);
        entry.balance_after = rows.integer(row, 12);
        entry.reason = rows.text(row, 13);
        entry.created_at = fromMillis(rows.integer(row, 14));
        entries.push_back(std::move(entry));
    }
    return entries;
}

/// Locks the wallet's row until the caller's transaction ends and returns its balance; nullopt
/// when there is no such wallet. Every booking takes this lock first, so bookings on one wallet
/// run one after another whichever replica makes them, and each reads the balance the previous
/// one left.
std::optional<std::int64_t> lockBalance(PostgresConnection& connection,
                                        std::string_view wallet_id) {
    const PostgresResult row = connection.exec(
        "SELECT balance FROM wallets WHERE id = $1 FOR UPDATE", PostgresParams().text(wallet_id));
    if (row.rows() == 0) {
        return std::nullopt;
    }
    return row.integer(0, 0);
}

/// Read after lockBalance(), so a booking another replica committed with the same key is seen.
bool keySeen(PostgresConnection& connection, std::string_view key) {
    return connection
               .exec("SELECT 1 FROM wallet_transactions WHERE idempotency_key = $1",
                     PostgresParams().text(key))
               .rows() > 0;
}

/// Moves the locked wallet's balance by the entry's amount and appends the entry. A concurrent
/// booking of the same non-empty key on another wallet fails the insert (unique index, so
/// AlreadyExists) and the caller's transaction rolls back the balance with it.
sdk::WalletTransactionRecord book(PostgresConnection& connection,
                                  sdk::WalletTransactionRecord entry, std::int64_t balance) {
    entry.created_at = fromMillis(toMillis(entry.created_at));
    entry.balance_after = balance + entry.amount_micro_usd;
    connection.exec("UPDATE wallets SET balance = $2, updated_at = $3 WHERE id = $1",
                    PostgresParams()
                        .text(entry.wallet_id)
                        .integer(entry.balance_after)
                        .integer(toMillis(entry.created_at)));
    connection.exec(
        "INSERT INTO wallet_transactions (id, wallet_id, kind, idempotency_key, key_prefix, "
        "model, rate_card_version, input_tokens, cached_tokens, output_tokens, amount, cost, "
        "balance_after, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        "$11, $12, $13, $14, $15)",
        PostgresParams()
            .text(entry.id)
            .text(entry.wallet_id)
            .text(sdk::walletEntryKindName(entry.kind))
            .text(entry.idempotency_key)
            .text(entry.key_prefix)
            .text(entry.model)
            .integer(entry.rate_card_version)
            .counter(entry.input_tokens)
            .counter(entry.cached_input_tokens)
            .counter(entry.output_tokens)
            .integer(entry.amount_micro_usd)
            .integer(entry.cost_micro_usd)
            .integer(entry.balance_after)
            .text(entry.reason)
            .integer(toMillis(entry.created_at)));
    return entry;
}

}  // namespace

sdk::Status PostgresWalletRepository::createCustomer(const sdk::CustomerRecord& customer) noexcept {
    return guarded("wallets.create_customer", [&] {
        pool_.acquire()->exec(
            "INSERT INTO customers (id, username, created_at) VALUES ($1, $2, $3)",
            PostgresParams()
                .text(customer.id)
                .text(customer.username)
                .integer(toMillis(customer.created_at)));
        return sdk::Status::success();
    });
}

sdk::Result<sdk::CustomerRecord> PostgresWalletRepository::getCustomer(
    std::string_view id) noexcept {
    return guarded("wallets.get_customer", [&]() -> sdk::Result<sdk::CustomerRecord> {
        auto customers = readCustomers(
            pool_.acquire()->exec("SELECT id, username, created_at FROM customers WHERE id = $1",
                                  PostgresParams().text(id)));
        if (customers.empty()) {
            return notFound("customer", id);
        }
        return std::move(customers.front());
    });
}

sdk::Result<std::vector<sdk::CustomerRecord>> PostgresWalletRepository::listCustomers() noexcept {
    return guarded("wallets.list_customers",
                   [&]() -> sdk::Result<std::vector<sdk::CustomerRecord>> {
                       return readCustomers(pool_.acquire()->exec(
                           "SELECT id, username, created_at FROM customers ORDER BY username"));
                   });
}

sdk::Status PostgresWalletRepository::createWallet(const sdk::WalletRecord& wallet) noexcept {
    return guarded("wallets.create_wallet", [&] {
        if (wallet.balance_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "a balance is never negative");
        }
        const PostgresResult inserted = pool_.acquire()->exec(
            "INSERT INTO wallets (id, customer_id, balance, created_at, updated_at) "
            "SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM customers WHERE id = $2)",
            PostgresParams()
                .text(wallet.id)
                .text(wallet.customer_id)
                .integer(wallet.balance_micro_usd)
                .integer(toMillis(wallet.created_at))
                .integer(toMillis(wallet.updated_at)));
        return inserted.affected() == 0 ? notFound("customer", wallet.customer_id)
                                        : sdk::Status::success();
    });
}

sdk::Result<sdk::WalletRecord> PostgresWalletRepository::getWallet(std::string_view id) noexcept {
    return guarded("wallets.get_wallet", [&]() -> sdk::Result<sdk::WalletRecord> {
        auto wallets = readWallets(pool_.acquire()->exec(
            std::string(kSelectWallet) + " WHERE id = $1", PostgresParams().text(id)));
        if (wallets.empty()) {
            return notFound("wallet", id);
        }
        return std::move(wallets.front());
    });
}

sdk::Result<std::vector<sdk::WalletRecord>> PostgresWalletRepository::listWallets(
    std::optional<std::string_view> customer_id) noexcept {
    return guarded("wallets.list_wallets", [&]() -> sdk::Result<std::vector<sdk::WalletRecord>> {
        PostgresParams params;
        if (customer_id) {
            params.text(*customer_id);
        }
        return readWallets(pool_.acquire()->exec(
            std::string(kSelectWallet) + (customer_id ? " WHERE customer_id = $1" : "") +
                " ORDER BY created_at, id",
            params));
    });
}

sdk::Status PostgresWalletRepository::linkKey(const sdk::WalletKeyLink& link) noexcept {
    return guarded("wallets.link_key", [&] {
        const PostgresResult linked = pool_.acquire()->exec(
            "INSERT INTO wallet_key_links (key_prefix, wallet_id) SELECT $1, $2 "
            "WHERE EXISTS (SELECT 1 FROM wallets WHERE id = $2) "
            "ON CONFLICT (key_prefix) DO UPDATE SET wallet_id = excluded.wallet_id",
            PostgresParams().text(link.key_prefix).text(link.wallet_id));
        return linked.affected() == 0 ? notFound("wallet", link.wallet_id) : sdk::Status::success();
    });
}

sdk::Status PostgresWalletRepository::unlinkKey(std::string_view key_prefix) noexcept {
    return guarded("wallets.unlink_key", [&] {
        const PostgresResult removed =
            pool_.acquire()->exec("DELETE FROM wallet_key_links WHERE key_prefix = $1",
                                  PostgresParams().text(key_prefix));
        return removed.affected() == 0 ? notFound("wallet key link", key_prefix)
                                       : sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::WalletKeyLink>> PostgresWalletRepository::listKeyLinks() noexcept {
    return guarded("wallets.list_key_links", [&]() -> sdk::Result<std::vector<sdk::WalletKeyLink>> {
        const PostgresResult rows = pool_.acquire()->exec(
            "SELECT key_prefix, wallet_id FROM wallet_key_links ORDER BY key_prefix");
        std::vector<sdk::WalletKeyLink> links;
        for (int row = 0; row < rows.rows(); ++row) {
            links.push_back({rows.text(row, 0), rows.text(row, 1)});
        }
        return links;
    });
}

sdk::Status PostgresWalletRepository::addRateCard(const sdk::RateCardRecord& card) noexcept {
    return guarded("wallets.add_rate_card", [&] {
        if (sdk::Status checked = sdk::checkRateCard(card); !checked.ok()) {
            return checked;
        }
        pool_.acquire()->exec(
            "INSERT INTO rate_cards (model, version, input_per_million, cached_input_per_million, "
            "output_per_million, per_call, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            PostgresParams()
                .text(card.model)
                .integer(card.version)
                .integer(card.input_per_million)
                .integer(card.cached_input_per_million)
                .integer(card.output_per_million)
                .integer(card.per_call)
                .integer(toMillis(card.created_at)));
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::RateCardRecord>> PostgresWalletRepository::listRateCards() noexcept {
    return guarded(
        "wallets.list_rate_cards", [&]() -> sdk::Result<std::vector<sdk::RateCardRecord>> {
            const PostgresResult rows = pool_.acquire()->exec(
                "SELECT model, version, input_per_million, cached_input_per_million, "
                "output_per_million, per_call, created_at FROM rate_cards ORDER BY model, version");
            std::vector<sdk::RateCardRecord> cards;
            for (int row = 0; row < rows.rows(); ++row) {
                cards.push_back({rows.text(row, 0),
                                 static_cast<std::uint32_t>(rows.integer(row, 1)),
                                 rows.integer(row, 2), rows.integer(row, 3), rows.integer(row, 4),
                                 rows.integer(row, 5), fromMillis(rows.integer(row, 6))});
            }
            return cards;
        });
}

sdk::Result<std::uint64_t> PostgresWalletRepository::conversationBaseline(
    std::string_view wallet_id, std::string_view conversation_key) noexcept {
    return guarded("wallets.conversation_baseline", [&]() -> sdk::Result<std::uint64_t> {
        const PostgresResult row = pool_.acquire()->exec(
            "SELECT reported_input FROM conversation_baselines "
            "WHERE wallet_id = $1 AND conversation_key = $2",
            PostgresParams().text(wallet_id).text(conversation_key));
        return row.rows() > 0 ? row.counter(0, 0) : 0;
    });
}

sdk::Result<sdk::WalletTransactionRecord> PostgresWalletRepository::charge(
    const sdk::WalletCharge& charge) noexcept {
    return guarded("wallets.charge", [&]() -> sdk::Result<sdk::WalletTransactionRecord> {
        if (charge.idempotency_key.empty() || charge.cost_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "a charge needs an idempotency key and a cost from 0");
        }
        auto connection = pool_.acquire();
        PostgresTransaction transaction(*connection);
        const auto balance = lockBalance(*connection, charge.wallet_id);
        if (!balance) {
            return notFound("wallet", charge.wallet_id);
        }
        if (keySeen(*connection, charge.idempotency_key)) {
            return alreadyExists("charge", charge.idempotency_key);
        }
        if (!charge.conversation_key.empty()) {
            connection->exec(
                "INSERT INTO conversation_baselines (wallet_id, conversation_key, reported_input) "
                "VALUES ($1, $2, $3) ON CONFLICT (wallet_id, conversation_key) "
                "DO UPDATE SET reported_input = excluded.reported_input",
                PostgresParams()
                    .text(charge.wallet_id)
                    .text(charge.conversation_key)
                    .counter(charge.reported_input_tokens));
        }
        sdk::WalletTransactionRecord booked =
            book(*connection, sdk::chargeEntry(charge, *balance), *balance);
        transaction.commit();
        return booked;
    });
}

sdk::Result<sdk::WalletTransactionRecord> PostgresWalletRepository::adjust(
    const sdk::WalletTransactionRecord& entry) noexcept {
    return guarded("wallets.adjust", [&]() -> sdk::Result<sdk::WalletTransactionRecord> {
        if (entry.amount_micro_usd == 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "an adjustment is not 0");
        }
        auto connection = pool_.acquire();
        PostgresTransaction transaction(*connection);
        const auto balance = lockBalance(*connection, entry.wallet_id);
        if (!balance) {
            return notFound("wallet", entry.wallet_id);
        }
        if (!entry.idempotency_key.empty() && keySeen(*connection, entry.idempotency_key)) {
            return alreadyExists("wallet adjustment", entry.idempotency_key);
        }
        if (*balance + entry.amount_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::FailedPrecondition,
                               "the debit exceeds the wallet's balance");
        }
        sdk::WalletTransactionRecord adjusted = entry;
        adjusted.kind =
            entry.amount_micro_usd > 0 ? sdk::WalletEntryKind::Credit : sdk::WalletEntryKind::Debit;
        sdk::WalletTransactionRecord booked = book(*connection, std::move(adjusted), *balance);
        transaction.commit();
        return booked;
    });
}

sdk::Result<std::vector<sdk::WalletTransactionRecord>> PostgresWalletRepository::transactions(
    std::string_view wallet_id, std::uint32_t limit) noexcept {
    return guarded("wallets.transactions",
                   [&]() -> sdk::Result<std::vector<sdk::WalletTransactionRecord>> {
                       return readTransactions(pool_.acquire()->exec(
                           std::string(kSelectTransaction) +
                               " WHERE wallet_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2",
                           PostgresParams().text(wallet_id).integer(limit)));
                   });
}

}  // namespace sluice::plugins::storage_postgres
