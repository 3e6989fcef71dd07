#include "core/control/wallet_service.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "core/billing/money.hpp"
#include "core/security/identifiers.hpp"

namespace sluice::core::control {

namespace {

constexpr std::size_t kMaxUsernameLength = 120;
constexpr std::size_t kMaxReasonLength = 500;

sdk::Status checkUsername(const std::string& username) {
    if (username.empty() || username.size() > kMaxUsernameLength) {
        return {sdk::StatusCode::InvalidArgument, "a username of 1 to 120 characters is required"};
    }
    return {};
}

// The newest version of each model's card.
std::map<std::string, sdk::RateCardRecord> newestCards(std::vector<sdk::RateCardRecord> cards) {
    std::map<std::string, sdk::RateCardRecord> newest;
    for (auto& card : cards) {
        auto [it, added] = newest.try_emplace(card.model, card);
        if (!added && card.version > it->second.version) {
            it->second = std::move(card);
        }
    }
    return newest;
}

// `card`'s prices changed by `hundredths` of a percent, as its next version.
sdk::Result<sdk::RateCardRecord> adjustedCard(sdk::RateCardRecord card, std::int32_t hundredths,
                                              sdk::TimePoint now) {
    for (std::int64_t* price : {&card.input_per_million, &card.cached_input_per_million,
                                &card.output_per_million, &card.per_call}) {
        auto adjusted = billing::adjustByPercent(*price, hundredths);
        if (!adjusted.ok()) {
            return sdk::Status{adjusted.status().code(),
                               "model " + card.model + ": " + adjusted.status().message()};
        }
        *price = adjusted.value();
    }
    ++card.version;
    card.created_at = now;
    return card;
}

}  // namespace

sdk::Result<sdk::WalletRepository*> walletRepository(sdk::StorageBackend& storage) {
    auto* stores = dynamic_cast<sdk::StoresWallets*>(&storage);
    if (stores == nullptr) {
        return sdk::Status{sdk::StatusCode::FailedPrecondition,
                           "the storage backend keeps no wallets (use storage-sqlite, "
                           "storage-postgres or storage-memory for billing)"};
    }
    return &stores->wallets();
}

sdk::Result<sdk::WalletRepository*> WalletService::repository() const {
    return walletRepository(context_.storage);
}

sdk::Result<CustomerWallet> WalletService::find(sdk::WalletRepository& wallets,
                                                const std::string& username) const {
    auto customers = wallets.listCustomers();
    if (!customers.ok()) {
        return customers.status();
    }
    for (auto& customer : customers.value()) {
        if (customer.username != username) {
            continue;
        }
        auto owned = wallets.listWallets(std::string_view(customer.id));
        if (!owned.ok()) {
            return owned.status();
        }
        if (owned->empty()) {
            return sdk::Status{sdk::StatusCode::Internal,
                               "customer " + username + " has no wallet"};
        }
        return CustomerWallet{std::move(customer), std::move(owned->front())};
    }
    return sdk::Status{sdk::StatusCode::NotFound, "no customer named '" + username + "'"};
}

sdk::Result<CustomerWallet> WalletService::createCustomer(const std::string& username,
                                                          const Actor& actor) {
    auto wallets = repository();
    sdk::Status status = wallets.ok() ? checkUsername(username) : wallets.status();
    CustomerWallet created;
    if (status.ok()) {
        const sdk::TimePoint now = context_.clock.now();
        created.customer = {security::newRecordId("cus", now), username, now};
        created.wallet = {security::newRecordId("wal", now), created.customer.id, 0, now, now};
        status = wallets.value()->createCustomer(created.customer);
        if (status.ok()) {
            status = wallets.value()->createWallet(created.wallet);
        }
    }
    recordAudit(
        context_, actor, "customer.create", username, status,
        nlohmann::json{{"customer", created.customer.id}, {"wallet", created.wallet.id}}.dump());
    if (!status.ok()) {
        return status;
    }
    return created;
}

sdk::Result<std::vector<CustomerWallet>> WalletService::listCustomers() const {
    auto wallets = repository();
    if (!wallets.ok()) {
        return wallets.status();
    }
    auto customers = wallets.value()->listCustomers();
    if (!customers.ok()) {
        return customers.status();
    }
    std::vector<CustomerWallet> listed;
    for (const auto& customer : customers.value()) {
        auto found = find(*wallets.value(), customer.username);
        if (!found.ok()) {
            return found.status();
        }
        listed.push_back(std::move(found).value());
    }
    return listed;
}

sdk::Result<WalletStatement> WalletService::statement(const std::string& username,
                                                      std::uint32_t limit) const {
    auto owned = ownerOf(username);
    if (!owned.ok()) {
        return owned.status();
    }
    auto entries = owned->wallets->transactions(owned->owner.wallet.id, limit);
    if (!entries.ok()) {
        return entries.status();
    }
    return WalletStatement{std::move(owned->owner), std::move(entries).value()};
}

sdk::Result<WalletService::OwnedWallet> WalletService::ownerOf(const std::string& username) const {
    auto wallets = repository();
    if (!wallets.ok()) {
        return wallets.status();
    }
    auto owner = find(*wallets.value(), username);
    if (!owner.ok()) {
        return owner.status();
    }
    return OwnedWallet{wallets.value(), std::move(owner).value()};
}

sdk::Result<WalletService::KeyLink> WalletService::keyLink(sdk::WalletRepository& wallets,
                                                           const std::string& username,
                                                           const std::string& key_prefix) const {
    auto owner = find(wallets, username);
    if (!owner.ok()) {
        return owner.status();
    }
    auto links = wallets.listKeyLinks();
    if (!links.ok()) {
        return links.status();
    }
    KeyLink found{std::move(owner).value(), std::nullopt};
    for (auto& link : links.value()) {
        if (link.key_prefix == key_prefix) {
            found.linked_wallet = std::move(link.wallet_id);
        }
    }
    return found;
}

sdk::Status WalletService::linkKey(const std::string& username, const std::string& key_prefix,
                                   const Actor& actor) {
    auto wallets = repository();
    sdk::Status status = wallets.status();
    if (wallets.ok()) {
        auto found = keyLink(*wallets.value(), username, key_prefix);
        status = found.ok() ? context_.storage.apiKeys().findByPrefix(key_prefix).status()
                            : found.status();
        if (status.ok() && found->linked_wallet &&
            *found->linked_wallet != found->owner.wallet.id) {
            status = {sdk::StatusCode::FailedPrecondition,
                      "key " + key_prefix +
                          " is charged to another customer's wallet; unlink it there first"};
        }
        if (status.ok()) {
            status = wallets.value()->linkKey({key_prefix, found->owner.wallet.id});
        }
    }
    notifyWalletChange(context_, status);
    recordAudit(context_, actor, "wallet.link_key", key_prefix, status,
                nlohmann::json{{"customer", username}}.dump());
    return status;
}

sdk::Status WalletService::unlinkKey(const std::string& username, const std::string& key_prefix,
                                     const Actor& actor) {
    auto wallets = repository();
    sdk::Status status = wallets.status();
    if (wallets.ok()) {
        auto found = keyLink(*wallets.value(), username, key_prefix);
        status = found.status();
        if (status.ok() && found->linked_wallet != found->owner.wallet.id) {
            status = {sdk::StatusCode::FailedPrecondition,
                      "key " + key_prefix + " is not charged to " + username + "'s wallet"};
        }
        if (status.ok()) {
            status = wallets.value()->unlinkKey(key_prefix);
        }
    }
    notifyWalletChange(context_, status);
    recordAudit(context_, actor, "wallet.unlink_key", key_prefix, status,
                nlohmann::json{{"customer", username}}.dump());
    return status;
}

sdk::Status WalletService::setUsernameBearer(const std::string& username, bool enabled,
                                             const Actor& actor) {
    auto wallets = repository();
    auto* bearers = dynamic_cast<sdk::StoresCustomerBearers*>(&context_.storage);
    sdk::Status status = wallets.status();
    if (status.ok() && bearers == nullptr) {
        status = {sdk::StatusCode::FailedPrecondition,
                  "the storage backend keeps no username bearer switch"};
    }
    if (status.ok()) {
        auto owner = find(*wallets.value(), username);
        status = owner.ok()
                     ? bearers->customerBearers().setUsernameBearer(owner->customer.id, enabled)
                     : owner.status();
    }
    notifyWalletChange(context_, status);
    recordAudit(context_, actor, "customer.username_bearer", username, status,
                nlohmann::json{{"enabled", enabled}}.dump());
    return status;
}

sdk::Result<sdk::WalletTransactionRecord> WalletService::adjust(const std::string& username,
                                                                sdk::WalletEntryKind kind,
                                                                const std::string& amount_usd,
                                                                const std::string& reason,
                                                                const Actor& actor) {
    const bool debit = kind == sdk::WalletEntryKind::Debit;
    auto amount = billing::parseUsd(amount_usd, "amount");
    sdk::Result<sdk::WalletTransactionRecord> booked = amount.status();
    if (amount.ok() && amount.value() == 0) {
        booked = sdk::Status{sdk::StatusCode::InvalidArgument, "amount must be more than 0"};
    } else if (amount.ok() && (reason.empty() || reason.size() > kMaxReasonLength)) {
        booked = sdk::Status{sdk::StatusCode::InvalidArgument,
                             "a reason of 1 to 500 characters is required"};
    } else if (amount.ok()) {
        booked = book(username, debit ? -amount.value() : amount.value(), reason, "");
    }
    notifyWalletChange(context_, booked.status());
    recordAudit(context_, actor, debit ? "wallet.debit" : "wallet.credit", username,
                booked.status(),
                nlohmann::json{{"amount_usd", amount_usd}, {"reason", reason}}.dump());
    return booked;
}

sdk::Result<sdk::WalletTransactionRecord> WalletService::creditPayment(
    const std::string& username, std::int64_t micro_usd, const std::string& payment_id,
    const std::string& reason, const Actor& actor) {
    auto booked = book(username, micro_usd, reason, payment_id);
    notifyWalletChange(context_, booked.status());
    recordAudit(context_, actor, "wallet.credit", username, booked.status(),
                nlohmann::json{{"amount_usd", billing::formatUsd(micro_usd)},
                               {"reason", reason},
                               {"payment", payment_id}}
                    .dump());
    return booked;
}

sdk::Result<sdk::WalletTransactionRecord> WalletService::book(const std::string& username,
                                                              std::int64_t micro_usd,
                                                              const std::string& reason,
                                                              const std::string& idempotency_key) {
    auto owned = ownerOf(username);
    if (!owned.ok()) {
        return owned.status();
    }
    sdk::WalletTransactionRecord entry;
    entry.created_at = context_.clock.now();
    entry.id = security::newRecordId("wtx", entry.created_at);
    entry.wallet_id = owned->owner.wallet.id;
    entry.amount_micro_usd = micro_usd;
    entry.reason = reason;
    entry.idempotency_key = idempotency_key;
    return owned->wallets->adjust(entry);
}

sdk::Result<sdk::RateCardRecord> WalletService::setRateCard(const std::string& model,
                                                            const RateCardPrices& prices,
                                                            const Actor& actor) {
    auto wallets = repository();
    sdk::Status status = wallets.status();
    sdk::RateCardRecord card;
    card.model = model;
    const std::pair<const std::string*, std::int64_t*> fields[] = {
        {&prices.input_per_million, &card.input_per_million},
        {&prices.cached_input_per_million, &card.cached_input_per_million},
        {&prices.output_per_million, &card.output_per_million},
        {&prices.per_call, &card.per_call}};
    const char* names[] = {"input", "cached input", "output", "per-call price"};
    for (std::size_t i = 0; i < std::size(fields) && status.ok(); ++i) {
        auto parsed = billing::parseUsd(*fields[i].first, names[i]);
        status = parsed.status();
        if (parsed.ok()) {
            *fields[i].second = parsed.value();
        }
    }
    if (status.ok() && (model.empty() || model.size() > 128)) {
        status = {sdk::StatusCode::InvalidArgument,
                  "a model name of 1 to 128 characters is required"};
    }
    if (status.ok()) {
        auto cards = wallets.value()->listRateCards();
        status = cards.status();
        if (cards.ok()) {
            const auto current = newestCards(cards.value());
            const auto found = current.find(model);
            card.version = found == current.end() ? 1 : found->second.version + 1;
            card.created_at = context_.clock.now();
            status = wallets.value()->addRateCard(card);
        }
    }
    notifyWalletChange(context_, status);
    recordAudit(context_, actor, "rate_card.set", model.empty() ? "-" : model, status,
                nlohmann::json{{"version", card.version},
                               {"input_per_million_usd", prices.input_per_million},
                               {"cached_input_per_million_usd", prices.cached_input_per_million},
                               {"output_per_million_usd", prices.output_per_million},
                               {"per_call_usd", prices.per_call}}
                    .dump());
    if (!status.ok()) {
        return status;
    }
    return card;
}

sdk::Result<std::vector<sdk::RateCardRecord>> WalletService::adjustRateCards(
    const std::string& percent, const Actor& actor) {
    auto wallets = repository();
    auto hundredths = billing::parsePercent(percent, "percent");
    sdk::Status status = !wallets.ok() ? wallets.status() : hundredths.status();
    std::vector<sdk::RateCardRecord> adjusted;
    if (status.ok()) {
        auto cards = wallets.value()->listRateCards();
        status = cards.status();
        if (status.ok() && cards->empty()) {
            status = {sdk::StatusCode::FailedPrecondition, "there is no rate card to adjust"};
        }
        // Every card is computed before any is stored: a price out of range changes nothing.
        for (auto& [model, card] : cards.ok() ? newestCards(std::move(cards).value())
                                              : std::map<std::string, sdk::RateCardRecord>{}) {
            auto next = adjustedCard(card, hundredths.value(), context_.clock.now());
            status = status.ok() ? next.status() : status;
            if (next.ok()) {
                adjusted.push_back(std::move(next).value());
            }
        }
        for (std::size_t i = 0; i < adjusted.size() && status.ok(); ++i) {
            status = wallets.value()->addRateCard(adjusted[i]);
        }
    }
    notifyWalletChange(context_, status);
    nlohmann::json versions = nlohmann::json::object();
    for (const auto& card : adjusted) {
        versions[card.model] = card.version;
    }
    recordAudit(context_, actor, "rate_card.adjust_percent", "*", status,
                nlohmann::json{{"percent", percent}, {"versions", std::move(versions)}}.dump());
    if (!status.ok()) {
        return status;
    }
    return adjusted;
}

sdk::Result<std::vector<sdk::RateCardRecord>> WalletService::listRateCards() const {
    auto wallets = repository();
    if (!wallets.ok()) {
        return wallets.status();
    }
    return wallets.value()->listRateCards();
}

}  // namespace sluice::core::control
