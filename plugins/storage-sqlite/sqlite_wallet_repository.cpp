#include "sqlite_wallet_repository.hpp"

#include "sqlite_codec.hpp"
#include "sqlite_error.hpp"
#include "sqlite_transaction.hpp"

namespace sluice::plugins::storage_sqlite {

namespace {

constexpr const char* kSelectWallet =
    "SELECT id, customer_id, balance, created_at, updated_at FROM wallets";

constexpr const char* kSelectTransaction =
    "SELECT id, wallet_id, kind, idempotency_key, key_prefix, model, rate_card_version, "
    "input_tokens, cached_tokens, output_tokens, amount, cost, balance_after, reason, created_at "
    "FROM wallet_transactions";

sdk::WalletRecord readWallet(const SqliteStatement& row) {
    return {row.columnText(0), row.columnText(1), row.columnInt(2), fromMillis(row.columnInt(3)),
            fromMillis(row.columnInt(4))};
}

sdk::WalletTransactionRecord readTransaction(const SqliteStatement& row) {
    sdk::WalletTransactionRecord entry;
    entry.id = row.columnText(0);
    entry.wallet_id = row.columnText(1);
    entry.kind = parseWalletEntryKind(row.columnText(2));
    entry.idempotency_key = row.columnText(3);
    entry.key_prefix = row.columnText(4);
    entry.model = row.columnText(5);
    entry.rate_card_version = static_cast<std::uint32_t>(row.columnInt(6));
    entry.input_tokens = static_cast<std::uint64_t>(row.columnInt(7));
    entry.cached_input_tokens = static_cast<std::uint64_t>(row.columnInt(8));
    entry.output_tokens = static_cast<std::uint64_t>(row.columnInt(9));
    entry.amount_micro_usd = row.columnInt(10);
    entry.cost_micro_usd = row.columnInt(11);
    entry.balance_after = row.columnInt(12);
    entry.reason = row.columnText(13);
    entry.created_at = fromMillis(row.columnInt(14));
    return entry;
}

bool keySeen(SqliteConnection& connection, std::string_view key) {
    SqliteStatement select =
        connection.prepare("SELECT 1 FROM wallet_transactions WHERE idempotency_key = ?1");
    select.bindText(1, key);
    return select.step();
}

std::optional<std::int64_t> balanceOf(SqliteConnection& connection, std::string_view wallet_id) {
    SqliteStatement select = connection.prepare("SELECT balance FROM wallets WHERE id = ?1");
    select.bindText(1, wallet_id);
    if (!select.step()) {
        return std::nullopt;
    }
    return select.columnInt(0);
}

/// Moves the wallet's balance by the entry's amount and appends the entry; the caller holds
/// the connection's lock inside a transaction and has checked the wallet exists.
sdk::WalletTransactionRecord book(SqliteConnection& connection, sdk::WalletTransactionRecord entry,
                                  std::int64_t balance) {
    entry.created_at = fromMillis(toMillis(entry.created_at));
    entry.balance_after = balance + entry.amount_micro_usd;
    SqliteStatement update =
        connection.prepare("UPDATE wallets SET balance = ?2, updated_at = ?3 WHERE id = ?1");
    update.bindText(1, entry.wallet_id)
        .bindInt(2, entry.balance_after)
        .bindInt(3, toMillis(entry.created_at));
    update.run();
    SqliteStatement insert = connection.prepare(
        "INSERT INTO wallet_transactions (id, wallet_id, kind, idempotency_key, key_prefix, "
        "model, rate_card_version, input_tokens, cached_tokens, output_tokens, amount, cost, "
        "balance_after, reason, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
        "?11, ?12, ?13, ?14, ?15)");
    insert.bindText(1, entry.id)
        .bindText(2, entry.wallet_id)
        .bindText(3, sdk::walletEntryKindName(entry.kind))
        .bindText(4, entry.idempotency_key)
        .bindText(5, entry.key_prefix)
        .bindText(6, entry.model)
        .bindInt(7, entry.rate_card_version)
        .bindInt(8, static_cast<std::int64_t>(entry.input_tokens))
        .bindInt(9, static_cast<std::int64_t>(entry.cached_input_tokens))
        .bindInt(10, static_cast<std::int64_t>(entry.output_tokens))
        .bindInt(11, entry.amount_micro_usd)
        .bindInt(12, entry.cost_micro_usd)
        .bindInt(13, entry.balance_after)
        .bindText(14, entry.reason)
        .bindInt(15, toMillis(entry.created_at));
    insert.run();
    return entry;
}

sdk::Status alreadyExists(std::string_view what, std::string_view key) {
    return {sdk::StatusCode::AlreadyExists,
            std::string(what) + " '" + std::string(key) + "' already exists"};
}

}  // namespace

sdk::Status SqliteWalletRepository::createCustomer(const sdk::CustomerRecord& customer) noexcept {
    return guarded("wallets.create_customer", [&] {
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO customers (id, username, created_at) VALUES (?1, ?2, ?3)");
        insert.bindText(1, customer.id)
            .bindText(2, customer.username)
            .bindInt(3, toMillis(customer.created_at));
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::CustomerRecord> SqliteWalletRepository::getCustomer(std::string_view id) noexcept {
    return guarded("wallets.get_customer", [&]() -> sdk::Result<sdk::CustomerRecord> {
        auto lock = connection_.lock();
        SqliteStatement select =
            connection_.prepare("SELECT id, username, created_at FROM customers WHERE id = ?1");
        select.bindText(1, id);
        if (!select.step()) {
            return notFound("customer", id);
        }
        return sdk::CustomerRecord{select.columnText(0), select.columnText(1),
                                   fromMillis(select.columnInt(2))};
    });
}

sdk::Result<std::vector<sdk::CustomerRecord>> SqliteWalletRepository::listCustomers() noexcept {
    return guarded(
        "wallets.list_customers", [&]() -> sdk::Result<std::vector<sdk::CustomerRecord>> {
            auto lock = connection_.lock();
            SqliteStatement select = connection_.prepare(
                "SELECT id, username, created_at FROM customers ORDER BY username");
            std::vector<sdk::CustomerRecord> customers;
            while (select.step()) {
                customers.push_back(
                    {select.columnText(0), select.columnText(1), fromMillis(select.columnInt(2))});
            }
            return customers;
        });
}

sdk::Status SqliteWalletRepository::createWallet(const sdk::WalletRecord& wallet) noexcept {
    return guarded("wallets.create_wallet", [&] {
        if (wallet.balance_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "a balance is never negative");
        }
        auto lock = connection_.lock();
        SqliteTransaction transaction(connection_);
        SqliteStatement customer = connection_.prepare("SELECT 1 FROM customers WHERE id = ?1");
        customer.bindText(1, wallet.customer_id);
        if (!customer.step()) {
            return notFound("customer", wallet.customer_id);
        }
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO wallets (id, customer_id, balance, created_at, updated_at) "
            "VALUES (?1, ?2, ?3, ?4, ?5)");
        insert.bindText(1, wallet.id)
            .bindText(2, wallet.customer_id)
            .bindInt(3, wallet.balance_micro_usd)
            .bindInt(4, toMillis(wallet.created_at))
            .bindInt(5, toMillis(wallet.updated_at));
        insert.run();
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Result<sdk::WalletRecord> SqliteWalletRepository::getWallet(std::string_view id) noexcept {
    return guarded("wallets.get_wallet", [&]() -> sdk::Result<sdk::WalletRecord> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(std::string(kSelectWallet) + " WHERE id = ?1");
        select.bindText(1, id);
        if (!select.step()) {
            return notFound("wallet", id);
        }
        return readWallet(select);
    });
}

sdk::Result<std::vector<sdk::WalletRecord>> SqliteWalletRepository::listWallets(
    std::optional<std::string_view> customer_id) noexcept {
    return guarded("wallets.list_wallets", [&]() -> sdk::Result<std::vector<sdk::WalletRecord>> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(
            std::string(kSelectWallet) + (customer_id ? " WHERE customer_id = ?1" : "") +
            " ORDER BY created_at, id");
        if (customer_id) {
            select.bindText(1, *customer_id);
        }
        std::vector<sdk::WalletRecord> wallets;
        while (select.step()) {
            wallets.push_back(readWallet(select));
        }
        return wallets;
    });
}

sdk::Status SqliteWalletRepository::linkKey(const sdk::WalletKeyLink& link) noexcept {
    return guarded("wallets.link_key", [&] {
        auto lock = connection_.lock();
        SqliteTransaction transaction(connection_);
        if (!balanceOf(connection_, link.wallet_id)) {
            return notFound("wallet", link.wallet_id);
        }
        SqliteStatement upsert = connection_.prepare(
            "INSERT INTO wallet_key_links (key_prefix, wallet_id) VALUES (?1, ?2) "
            "ON CONFLICT (key_prefix) DO UPDATE SET wallet_id = excluded.wallet_id");
        upsert.bindText(1, link.key_prefix).bindText(2, link.wallet_id);
        upsert.run();
        transaction.commit();
        return sdk::Status::success();
    });
}

sdk::Status SqliteWalletRepository::unlinkKey(std::string_view key_prefix) noexcept {
    return guarded("wallets.unlink_key", [&] {
        auto lock = connection_.lock();
        SqliteStatement remove =
            connection_.prepare("DELETE FROM wallet_key_links WHERE key_prefix = ?1");
        remove.bindText(1, key_prefix);
        remove.run();
        return connection_.changes() == 0 ? notFound("wallet key link", key_prefix)
                                          : sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::WalletKeyLink>> SqliteWalletRepository::listKeyLinks() noexcept {
    return guarded("wallets.list_key_links", [&]() -> sdk::Result<std::vector<sdk::WalletKeyLink>> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(
            "SELECT key_prefix, wallet_id FROM wallet_key_links ORDER BY key_prefix");
        std::vector<sdk::WalletKeyLink> links;
        while (select.step()) {
            links.push_back({select.columnText(0), select.columnText(1)});
        }
        return links;
    });
}

sdk::Status SqliteWalletRepository::addRateCard(const sdk::RateCardRecord& card) noexcept {
    return guarded("wallets.add_rate_card", [&] {
        if (sdk::Status checked = sdk::checkRateCard(card); !checked.ok()) {
            return checked;
        }
        auto lock = connection_.lock();
        SqliteStatement insert = connection_.prepare(
            "INSERT INTO rate_cards (model, version, input_per_million, cached_input_per_million, "
            "output_per_million, per_call, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
        insert.bindText(1, card.model)
            .bindInt(2, card.version)
            .bindInt(3, card.input_per_million)
            .bindInt(4, card.cached_input_per_million)
            .bindInt(5, card.output_per_million)
            .bindInt(6, card.per_call)
            .bindInt(7, toMillis(card.created_at));
        insert.run();
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::RateCardRecord>> SqliteWalletRepository::listRateCards() noexcept {
    return guarded(
        "wallets.list_rate_cards", [&]() -> sdk::Result<std::vector<sdk::RateCardRecord>> {
            auto lock = connection_.lock();
            SqliteStatement select = connection_.prepare(
                "SELECT model, version, input_per_million, cached_input_per_million, "
                "output_per_million, per_call, created_at FROM rate_cards ORDER BY model, version");
            std::vector<sdk::RateCardRecord> cards;
            while (select.step()) {
                cards.push_back({select.columnText(0),
                                 static_cast<std::uint32_t>(select.columnInt(1)),
                                 select.columnInt(2), select.columnInt(3), select.columnInt(4),
                                 select.columnInt(5), fromMillis(select.columnInt(6))});
            }
            return cards;
        });
}

sdk::Result<std::uint64_t> SqliteWalletRepository::conversationBaseline(
    std::string_view wallet_id, std::string_view conversation_key) noexcept {
    return guarded("wallets.conversation_baseline", [&]() -> sdk::Result<std::uint64_t> {
        auto lock = connection_.lock();
        SqliteStatement select = connection_.prepare(
            "SELECT reported_input FROM conversation_baselines "
            "WHERE wallet_id = ?1 AND conversation_key = ?2");
        select.bindText(1, wallet_id).bindText(2, conversation_key);
        return select.step() ? static_cast<std::uint64_t>(select.columnInt(0)) : 0;
    });
}

sdk::Result<sdk::WalletTransactionRecord> SqliteWalletRepository::charge(
    const sdk::WalletCharge& charge) noexcept {
    return guarded("wallets.charge", [&]() -> sdk::Result<sdk::WalletTransactionRecord> {
        if (charge.idempotency_key.empty() || charge.cost_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "a charge needs an idempotency key and a cost from 0");
        }
        auto lock = connection_.lock();
        SqliteTransaction transaction(connection_);
        if (keySeen(connection_, charge.idempotency_key)) {
            return alreadyExists("charge", charge.idempotency_key);
        }
        const auto balance = balanceOf(connection_, charge.wallet_id);
        if (!balance) {
            return notFound("wallet", charge.wallet_id);
        }
        sdk::WalletTransactionRecord entry = sdk::chargeEntry(charge, *balance);
        if (!charge.conversation_key.empty()) {
            SqliteStatement baseline = connection_.prepare(
                "INSERT INTO conversation_baselines (wallet_id, conversation_key, reported_input) "
                "VALUES (?1, ?2, ?3) ON CONFLICT (wallet_id, conversation_key) "
                "DO UPDATE SET reported_input = excluded.reported_input");
            baseline.bindText(1, charge.wallet_id)
                .bindText(2, charge.conversation_key)
                .bindInt(3, static_cast<std::int64_t>(charge.reported_input_tokens));
            baseline.run();
        }
        sdk::WalletTransactionRecord booked = book(connection_, std::move(entry), *balance);
        transaction.commit();
        return booked;
    });
}

sdk::Result<sdk::WalletTransactionRecord> SqliteWalletRepository::adjust(
    const sdk::WalletTransactionRecord& entry) noexcept {
    return guarded("wallets.adjust", [&]() -> sdk::Result<sdk::WalletTransactionRecord> {
        if (entry.amount_micro_usd == 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "an adjustment is not 0");
        }
        auto lock = connection_.lock();
        SqliteTransaction transaction(connection_);
        if (!entry.idempotency_key.empty() && keySeen(connection_, entry.idempotency_key)) {
            return alreadyExists("wallet adjustment", entry.idempotency_key);
        }
        const auto balance = balanceOf(connection_, entry.wallet_id);
        if (!balance) {
            return notFound("wallet", entry.wallet_id);
        }
        if (*balance + entry.amount_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::FailedPrecondition,
                               "the debit exceeds the wallet's balance");
        }
        sdk::WalletTransactionRecord adjusted = entry;
        adjusted.kind =
            entry.amount_micro_usd > 0 ? sdk::WalletEntryKind::Credit : sdk::WalletEntryKind::Debit;
        sdk::WalletTransactionRecord booked = book(connection_, std::move(adjusted), *balance);
        transaction.commit();
        return booked;
    });
}

sdk::Result<std::vector<sdk::WalletTransactionRecord>> SqliteWalletRepository::transactions(
    std::string_view wallet_id, std::uint32_t limit) noexcept {
    return guarded("wallets.transactions",
                   [&]() -> sdk::Result<std::vector<sdk::WalletTransactionRecord>> {
                       auto lock = connection_.lock();
                       SqliteStatement select = connection_.prepare(
                           std::string(kSelectTransaction) +
                           " WHERE wallet_id = ?1 ORDER BY created_at DESC, id DESC LIMIT ?2");
                       select.bindText(1, wallet_id).bindInt(2, limit);
                       std::vector<sdk::WalletTransactionRecord> entries;
                       while (select.step()) {
                           entries.push_back(readTransaction(select));
                       }
                       return entries;
                   });
}

}  // namespace sluice::plugins::storage_sqlite
