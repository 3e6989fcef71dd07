#include "core/billing/wallet_book.hpp"

#include <algorithm>

namespace sluice::core::billing {

sdk::Status WalletBook::reload(sdk::WalletRepository& wallets) {
    auto links = wallets.listKeyLinks();
    auto balances = wallets.listWallets(std::nullopt);
    auto cards = wallets.listRateCards();
    for (const sdk::Status* status : {&links.status(), &balances.status(), &cards.status()}) {
        if (!status->ok()) {
            return *status;
        }
    }
    auto next = std::make_shared<Contents>();
    for (const auto& link : links.value()) {
        next->links.emplace(link.key_prefix, link.wallet_id);
    }
    for (const auto& wallet : balances.value()) {
        next->balances.emplace(
            wallet.id, std::make_shared<std::atomic<std::int64_t>>(wallet.balance_micro_usd));
    }
    for (auto& card : cards.value()) {  // by model, then version: the last one wins
        next->cards.insert_or_assign(card.model, std::move(card));
    }
    contents_.store(std::move(next));
    return sdk::Status::success();
}

std::optional<std::string> WalletBook::walletOf(std::string_view key_prefix) const {
    const auto contents = contents_.load();
    const auto found = contents->links.find(std::string(key_prefix));
    if (found == contents->links.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::vector<std::string> WalletBook::keysOf(std::string_view wallet_id) const {
    const auto contents = contents_.load();
    std::vector<std::string> keys;
    for (const auto& [prefix, wallet] : contents->links) {
        if (wallet == wallet_id) {
            keys.push_back(prefix);
        }
    }
    std::sort(keys.begin(), keys.end());
    return keys;
}

std::optional<std::int64_t> WalletBook::balanceOf(std::string_view wallet_id) const {
    const auto contents = contents_.load();
    const auto found = contents->balances.find(std::string(wallet_id));
    if (found == contents->balances.end()) {
        return std::nullopt;
    }
    return found->second->load(std::memory_order_relaxed);
}

void WalletBook::setBalance(std::string_view wallet_id, std::int64_t balance) {
    const auto contents = contents_.load();
    const auto found = contents->balances.find(std::string(wallet_id));
    if (found != contents->balances.end()) {
        found->second->store(balance, std::memory_order_relaxed);
    }
}

std::optional<sdk::RateCardRecord> WalletBook::cardFor(std::string_view model) const {
    const auto contents = contents_.load();
    auto found = contents->cards.find(model);
    if (found == contents->cards.end()) {
        found = contents->cards.find("*");
    }
    if (found == contents->cards.end()) {
        return std::nullopt;
    }
    return found->second;
}

}  // namespace sluice::core::billing
