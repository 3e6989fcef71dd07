#include "memory_wallet_repository.hpp"

#include "memory_status.hpp"

namespace sluice::plugins::storage_memory {

namespace {

bool newestFirst(const sdk::WalletTransactionRecord& a, const sdk::WalletTransactionRecord& b) {
    return std::tie(a.created_at, a.id) > std::tie(b.created_at, b.id);
}

}  // namespace

sdk::Status MemoryWalletRepository::createCustomer(const sdk::CustomerRecord& customer) noexcept {
    return guarded("wallets.create_customer", [&] {
        std::lock_guard lock(state_.mutex);
        for (const auto& [id, existing] : state_.customers) {
            if (existing.username == customer.username) {
                return alreadyExists("customer username", customer.username);
            }
        }
        sdk::CustomerRecord stored = customer;
        stored.created_at = toStoredTime(customer.created_at);
        if (!state_.customers.emplace(customer.id, std::move(stored)).second) {
            return alreadyExists("customer", customer.id);
        }
        return sdk::Status::success();
    });
}

sdk::Result<sdk::CustomerRecord> MemoryWalletRepository::getCustomer(std::string_view id) noexcept {
    return guarded("wallets.get_customer", [&]() -> sdk::Result<sdk::CustomerRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.customers.find(id);
        if (found == state_.customers.end()) {
            return notFound("customer", id);
        }
        return found->second;
    });
}

sdk::Result<std::vector<sdk::CustomerRecord>> MemoryWalletRepository::listCustomers() noexcept {
    return guarded(
        "wallets.list_customers", [&]() -> sdk::Result<std::vector<sdk::CustomerRecord>> {
            std::vector<sdk::CustomerRecord> customers;
            {
                std::lock_guard lock(state_.mutex);
                for (const auto& [id, customer] : state_.customers) {
                    customers.push_back(customer);
                }
            }
            std::sort(customers.begin(), customers.end(),
                      [](const auto& a, const auto& b) { return a.username < b.username; });
            return customers;
        });
}

sdk::Status MemoryWalletRepository::createWallet(const sdk::WalletRecord& wallet) noexcept {
    return guarded("wallets.create_wallet", [&] {
        if (wallet.balance_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "a balance is never negative");
        }
        std::lock_guard lock(state_.mutex);
        if (!state_.customers.contains(wallet.customer_id)) {
            return notFound("customer", wallet.customer_id);
        }
        sdk::WalletRecord stored = wallet;
        stored.created_at = toStoredTime(wallet.created_at);
        stored.updated_at = toStoredTime(wallet.updated_at);
        if (!state_.wallets.emplace(wallet.id, std::move(stored)).second) {
            return alreadyExists("wallet", wallet.id);
        }
        return sdk::Status::success();
    });
}

sdk::Result<sdk::WalletRecord> MemoryWalletRepository::getWallet(std::string_view id) noexcept {
    return guarded("wallets.get_wallet", [&]() -> sdk::Result<sdk::WalletRecord> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.wallets.find(id);
        if (found == state_.wallets.end()) {
            return notFound("wallet", id);
        }
        return found->second;
    });
}

sdk::Result<std::vector<sdk::WalletRecord>> MemoryWalletRepository::listWallets(
    std::optional<std::string_view> customer_id) noexcept {
    return guarded("wallets.list_wallets", [&]() -> sdk::Result<std::vector<sdk::WalletRecord>> {
        std::lock_guard lock(state_.mutex);
        std::vector<sdk::WalletRecord> wallets;
        for (const auto& [id, entry] : state_.wallets) {
            if (!customer_id || entry.customer_id == *customer_id) {
                wallets.push_back(entry);
            }
        }
        std::sort(wallets.begin(), wallets.end(), [](const auto& a, const auto& b) {
            return std::tie(a.created_at, a.id) < std::tie(b.created_at, b.id);
        });
        return wallets;
    });
}

sdk::Status MemoryWalletRepository::linkKey(const sdk::WalletKeyLink& link) noexcept {
    return guarded("wallets.link_key", [&] {
        std::lock_guard lock(state_.mutex);
        if (!state_.wallets.contains(link.wallet_id)) {
            return notFound("wallet", link.wallet_id);
        }
        state_.key_links[link.key_prefix] = link.wallet_id;
        return sdk::Status::success();
    });
}

sdk::Status MemoryWalletRepository::unlinkKey(std::string_view key_prefix) noexcept {
    return guarded("wallets.unlink_key", [&] {
        std::lock_guard lock(state_.mutex);
        return state_.key_links.erase(std::string(key_prefix)) == 0
                   ? notFound("wallet key link", key_prefix)
                   : sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::WalletKeyLink>> MemoryWalletRepository::listKeyLinks() noexcept {
    return guarded("wallets.list_key_links", [&]() -> sdk::Result<std::vector<sdk::WalletKeyLink>> {
        std::lock_guard lock(state_.mutex);
        std::vector<sdk::WalletKeyLink> links;
        for (const auto& [prefix, wallet] : state_.key_links) {
            links.push_back({prefix, wallet});
        }
        return links;
    });
}

sdk::Status MemoryWalletRepository::addRateCard(const sdk::RateCardRecord& card) noexcept {
    return guarded("wallets.add_rate_card", [&] {
        if (sdk::Status checked = sdk::checkRateCard(card); !checked.ok()) {
            return checked;
        }
        sdk::RateCardRecord stored = card;
        stored.created_at = toStoredTime(card.created_at);
        std::lock_guard lock(state_.mutex);
        if (!state_.rate_cards.emplace(std::pair(card.model, card.version), stored).second) {
            return alreadyExists("rate card", card.model + " v" + std::to_string(card.version));
        }
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<sdk::RateCardRecord>> MemoryWalletRepository::listRateCards() noexcept {
    return guarded("wallets.list_rate_cards",
                   [&]() -> sdk::Result<std::vector<sdk::RateCardRecord>> {
                       std::lock_guard lock(state_.mutex);
                       std::vector<sdk::RateCardRecord> cards;
                       for (const auto& [key, card] : state_.rate_cards) {
                           cards.push_back(card);
                       }
                       return cards;
                   });
}

sdk::Result<std::uint64_t> MemoryWalletRepository::conversationBaseline(
    std::string_view wallet_id, std::string_view conversation_key) noexcept {
    return guarded("wallets.conversation_baseline", [&]() -> sdk::Result<std::uint64_t> {
        std::lock_guard lock(state_.mutex);
        const auto found = state_.conversation_baselines.find(
            {std::string(wallet_id), std::string(conversation_key)});
        return found == state_.conversation_baselines.end() ? 0 : found->second;
    });
}

sdk::WalletTransactionRecord MemoryWalletRepository::book(sdk::WalletRecord& wallet,
                                                          sdk::WalletTransactionRecord entry) {
    entry.created_at = toStoredTime(entry.created_at);
    wallet.balance_micro_usd += entry.amount_micro_usd;
    wallet.updated_at = entry.created_at;
    entry.balance_after = wallet.balance_micro_usd;
    if (!entry.idempotency_key.empty()) {
        state_.wallet_idempotency_keys.insert(entry.idempotency_key);
    }
    state_.wallet_transactions.push_back(entry);
    return entry;
}

sdk::Result<sdk::WalletTransactionRecord> MemoryWalletRepository::charge(
    const sdk::WalletCharge& charge) noexcept {
    return guarded("wallets.charge", [&]() -> sdk::Result<sdk::WalletTransactionRecord> {
        if (charge.idempotency_key.empty() || charge.cost_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument,
                               "a charge needs an idempotency key and a cost from 0");
        }
        std::lock_guard lock(state_.mutex);
        if (state_.wallet_idempotency_keys.contains(charge.idempotency_key)) {
            return alreadyExists("charge", charge.idempotency_key);
        }
        const auto wallet = state_.wallets.find(charge.wallet_id);
        if (wallet == state_.wallets.end()) {
            return notFound("wallet", charge.wallet_id);
        }
        sdk::WalletTransactionRecord entry =
            sdk::chargeEntry(charge, wallet->second.balance_micro_usd);
        if (!charge.conversation_key.empty()) {
            state_.conversation_baselines[{charge.wallet_id, charge.conversation_key}] =
                charge.reported_input_tokens;
        }
        return book(wallet->second, std::move(entry));
    });
}

sdk::Result<sdk::WalletTransactionRecord> MemoryWalletRepository::adjust(
    const sdk::WalletTransactionRecord& entry) noexcept {
    return guarded("wallets.adjust", [&]() -> sdk::Result<sdk::WalletTransactionRecord> {
        if (entry.amount_micro_usd == 0) {
            return sdk::Status(sdk::StatusCode::InvalidArgument, "an adjustment is not 0");
        }
        std::lock_guard lock(state_.mutex);
        if (!entry.idempotency_key.empty() &&
            state_.wallet_idempotency_keys.contains(entry.idempotency_key)) {
            return alreadyExists("wallet adjustment", entry.idempotency_key);
        }
        const auto wallet = state_.wallets.find(entry.wallet_id);
        if (wallet == state_.wallets.end()) {
            return notFound("wallet", entry.wallet_id);
        }
        if (wallet->second.balance_micro_usd + entry.amount_micro_usd < 0) {
            return sdk::Status(sdk::StatusCode::FailedPrecondition,
                               "the debit exceeds the wallet's balance");
        }
        sdk::WalletTransactionRecord booked = entry;
        booked.kind =
            entry.amount_micro_usd > 0 ? sdk::WalletEntryKind::Credit : sdk::WalletEntryKind::Debit;
        return book(wallet->second, std::move(booked));
    });
}

sdk::Result<std::vector<sdk::WalletTransactionRecord>> MemoryWalletRepository::transactions(
    std::string_view wallet_id, std::uint32_t limit) noexcept {
    return guarded("wallets.transactions",
                   [&]() -> sdk::Result<std::vector<sdk::WalletTransactionRecord>> {
                       std::vector<sdk::WalletTransactionRecord> matching;
                       {
                           std::lock_guard lock(state_.mutex);
                           for (const auto& entry : state_.wallet_transactions) {
                               if (entry.wallet_id == wallet_id) {
                                   matching.push_back(entry);
                               }
                           }
                       }
                       std::stable_sort(matching.begin(), matching.end(), newestFirst);
                       if (matching.size() > limit) {
                           matching.resize(limit);
                       }
                       return matching;
                   });
}

sdk::Status MemoryWalletRepository::setUsernameBearer(std::string_view customer_id,
                                                      bool enabled) noexcept {
    return guarded("wallets.set_username_bearer", [&] {
        std::lock_guard lock(state_.mutex);
        if (state_.customers.find(customer_id) == state_.customers.end()) {
            return notFound("customer", customer_id);
        }
        if (enabled) {
            state_.username_bearers.emplace(customer_id);
        } else if (const auto it = state_.username_bearers.find(customer_id);
                   it != state_.username_bearers.end()) {
            state_.username_bearers.erase(it);
        }
        return sdk::Status::success();
    });
}

sdk::Result<std::vector<std::string>> MemoryWalletRepository::usernameBearers() noexcept {
    return guarded("wallets.username_bearers", [&]() -> sdk::Result<std::vector<std::string>> {
        std::lock_guard lock(state_.mutex);
        return std::vector<std::string>(state_.username_bearers.begin(),
                                        state_.username_bearers.end());
    });
}

}  // namespace sluice::plugins::storage_memory
