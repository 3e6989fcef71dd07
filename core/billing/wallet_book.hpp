#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::core::billing {

/// What the request path knows about wallets, in memory: which wallet each linked key spends
/// from, each wallet's balance and the current rate card of each model. Reloaded whole from
/// storage behind the requests; balances also move as the applier books charges. Readers never
/// block (an atomically swapped snapshot with atomic balances). Thread-safe.
class WalletBook final {
public:
    /// Replaces everything with what storage holds now, with the customers whose username acts
    /// as a bearer when `bearers` is given. Applier thread.
    sdk::Status reload(sdk::WalletRepository& wallets,
                       sdk::CustomerBearerRepository* bearers = nullptr);

    /// The wallet a key spends from; nullopt for an unlinked key (never charged).
    std::optional<std::string> walletOf(std::string_view key_prefix) const;
    /// The prefixes of the keys that spend from `wallet_id`, sorted.
    std::vector<std::string> keysOf(std::string_view wallet_id) const;
    /// The wallet of the customer named `username` when it opted in to its username as a
    /// bearer (SDK 2.4); nullopt otherwise.
    std::optional<std::string> walletOfUsername(std::string_view username) const;
    /// The balance last seen; nullopt for an unknown wallet.
    std::optional<std::int64_t> balanceOf(std::string_view wallet_id) const;
    /// The `count` lowest balances of wallets that some key spends from, lowest first (ties by
    /// wallet id): the wallets closest to refusing requests.
    std::vector<std::pair<std::string, std::int64_t>> lowestBalances(std::size_t count) const;
    /// Records a balance storage returned (a booked charge or adjustment).
    void setBalance(std::string_view wallet_id, std::int64_t balance);
    /// The newest card of `model`, else of "*"; nullopt when neither has one.
    std::optional<sdk::RateCardRecord> cardFor(std::string_view model) const;

private:
    struct Contents {
        std::unordered_map<std::string, std::string> links;
        std::unordered_map<std::string, std::string> username_wallets;  ///< opted-in customers
        std::unordered_map<std::string, std::shared_ptr<std::atomic<std::int64_t>>> balances;
        std::map<std::string, sdk::RateCardRecord, std::less<>> cards;  ///< newest per model
    };

    std::atomic<std::shared_ptr<const Contents>> contents_{std::make_shared<const Contents>()};
};

}  // namespace sluice::core::billing
