#pragma once

#include "postgres_pool.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::plugins::storage_postgres {

/// Customers, wallets, key links, rate cards and wallet transactions in their tables. A charge or
/// an adjustment is one transaction that locks its wallet's row first, so replicas sharing the
/// database book one after another; the unique index on the idempotency key makes a response id
/// charge once whichever replica books it. Thread-safe (the pool).
class PostgresWalletRepository final : public sdk::WalletRepository {
public:
    explicit PostgresWalletRepository(PostgresPool& pool) : pool_(pool) {}

    sdk::Status createCustomer(const sdk::CustomerRecord& customer) noexcept override;
    sdk::Result<sdk::CustomerRecord> getCustomer(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::CustomerRecord>> listCustomers() noexcept override;
    sdk::Status createWallet(const sdk::WalletRecord& wallet) noexcept override;
    sdk::Result<sdk::WalletRecord> getWallet(std::string_view id) noexcept override;
    sdk::Result<std::vector<sdk::WalletRecord>> listWallets(
        std::optional<std::string_view> customer_id) noexcept override;
    sdk::Status linkKey(const sdk::WalletKeyLink& link) noexcept override;
    sdk::Status unlinkKey(std::string_view key_prefix) noexcept override;
    sdk::Result<std::vector<sdk::WalletKeyLink>> listKeyLinks() noexcept override;
    sdk::Status addRateCard(const sdk::RateCardRecord& card) noexcept override;
    sdk::Result<std::vector<sdk::RateCardRecord>> listRateCards() noexcept override;
    sdk::Result<std::uint64_t> conversationBaseline(
        std::string_view wallet_id, std::string_view conversation_key) noexcept override;
    sdk::Result<sdk::WalletTransactionRecord> charge(
        const sdk::WalletCharge& charge) noexcept override;
    sdk::Result<sdk::WalletTransactionRecord> adjust(
        const sdk::WalletTransactionRecord& entry) noexcept override;
    sdk::Result<std::vector<sdk::WalletTransactionRecord>> transactions(
        std::string_view wallet_id, std::uint32_t limit) noexcept override;

private:
    PostgresPool& pool_;
};

}  // namespace sluice::plugins::storage_postgres
