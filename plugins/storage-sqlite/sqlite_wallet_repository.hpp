#pragma once

#include "sluice/sdk/storage_wallets.hpp"
#include "sqlite_connection.hpp"

namespace sluice::plugins::storage_sqlite {

/// Customers, wallets, key links, rate cards and wallet transactions in their tables. Thread-safe
/// (the connection's lock).
class SqliteWalletRepository final : public sdk::WalletRepository {
public:
    explicit SqliteWalletRepository(SqliteConnection& connection) : connection_(connection) {}

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
    SqliteConnection& connection_;
};

}  // namespace sluice::plugins::storage_sqlite
