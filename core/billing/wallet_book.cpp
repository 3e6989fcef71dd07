#include "core/billing/wallet_book.hpp"

#include <algorithm>
#include <unordered_set>

namespace sluice::core::billing {

namespace {

// Username -> wallet of each customer in `bearer_ids`.
sdk::Result<std::unordered_map<std::string, std::string>> usernameWallets(
    sdk::WalletRepository& wallets, sdk::CustomerBearerRepository& bearers,
    const std::vector<sdk::WalletRecord>& all_wallets) {
    auto ids = bearers.usernameBearers();
    auto customers =
        ids.ok() && !ids->empty()
            ? wallets.listCustomers()
            : sdk::Result<std::vector<sdk::CustomerRecord>>(std::vector<sdk::CustomerRecord>{});
    if (!ids.ok() || !customers.ok()) {
        return !ids.ok() ? ids.status() : customers.status();
    }
    std::unordered_map<std::string, std::string> found;
    for (const auto& customer : customers.value()) {
        if (!std::binary_search(ids->begin(), ids->end(), customer.id)) {
            continue;
        }
        for (const auto& wallet : all_wallets) {
            if (wallet.customer_id == customer.id) {
                found.emplace(customer.username, wallet.id);
                break;
            }
        }
    }
    return found;
}

}  // namespace

sdk::Status WalletBook::reload(sdk::WalletRepository& wallets,
                               sdk::CustomerBearerRepository* bearers) {
    auto links = wallets.listKeyLinks();
    auto balances = wallets.listWallets(std::nullopt);
    auto cards = wallets.listRateCards();
    for (const sdk::Status* status : {&links.status(), &balances.status(), &cards.status()}) {
        if (!status->ok()) {
            return *status;
        }
    }
    auto next = std::make_shared<Contents>();
    if (bearers != nullptr) {
        auto named = usernameWallets(wallets, *bearers, balances.value());
        if (!named.ok()) {
            return named.status();
        }
        next->username_wallets = std::move(named).value();
    }
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

std::optional<std::string> WalletBook::walletOfUsername(std::string_view username) const {
    const auto contents = contents_.load();
    const auto found = contents->username_wallets.find(std::string(username));
    if (found == contents->username_wallets.end()) {
        return std::nullopt;
    }
    return found->second;
}

std::optional<std::int64_t> WalletBook::balanceOf(std::string_view wallet_id) const {
    const auto contents = contents_.load();
    const auto found = contents->balances.find(std::string(wallet_id));
    if (found == contents->balances.end()) {
        return std::nullopt;
    }
    return found->second->load(std::memory_order_relaxed);
}

std::vector<std::pair<std::string, std::int64_t>> WalletBook::lowestBalances(
    std::size_t count) const {
    const auto contents = contents_.load();
    std::unordered_set<std::string_view> linked;
    for (const auto& link : contents->links) {
        linked.insert(link.second);
    }
    std::vector<std::pair<std::string, std::int64_t>> spent_from;
    for (const auto& [id, balance] : contents->balances) {
        if (linked.count(id) != 0) {
            spent_from.emplace_back(id, balance->load(std::memory_order_relaxed));
        }
    }
    const auto lower = [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second < b.second : a.first < b.first;
    };
    const std::size_t kept = std::min(count, spent_from.size());
    std::partial_sort(spent_from.begin(), spent_from.begin() + static_cast<std::ptrdiff_t>(kept),
                      spent_from.end(), lower);
    spent_from.resize(kept);
    return spent_from;
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
