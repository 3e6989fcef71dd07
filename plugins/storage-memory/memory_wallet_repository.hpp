#pragma once

#include "memory_state.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::plugins::storage_memory {

/// Customers, wallets, key links, rate cards, wallet transactions and the customers' username
/// bearer switch. Thread-safe.
class MemoryWalletRepository final : public sdk::WalletRepository,
                                     public sdk::CustomerBearerRepository {
public:
    explicit MemoryWalletRepository(MemoryState& state) : state_(state) {}

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
    sdk::Status setUsernameBearer(std::string_view customer_id, bool enabled) noexcept override;
    sdk::Result<std::vector<std::string>> usernameBearers() noexcept override;

private:
    /// Appends a booked transaction and moves the wallet's balance; the caller holds the lock.
    sdk::WalletTransactionRecord book(sdk::WalletRecord& wallet,
                                      sdk::WalletTransactionRecord entry);

    MemoryState& state_;
};

}  // namespace sluice::plugins::storage_memory
