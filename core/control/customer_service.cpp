#include "core/control/customer_service.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/accounting/utc_time.hpp"
#include "core/runtime/shared_lock.hpp"

namespace sluice::core::control {

namespace {

constexpr std::uint32_t kAuditPage = 100;

sdk::Status notYours(const std::string& key_prefix) {
    return {sdk::StatusCode::NotFound, "no key " + key_prefix + " among this customer's keys"};
}

// Adds one transaction to its day's totals (days newest first, like the transactions).
void addToDays(std::vector<DailySpend>& days, const sdk::WalletTransactionRecord& entry) {
    const std::int64_t day = accounting::utcDay(entry.created_at);
    if (days.empty() || days.back().day != day) {
        days.push_back(DailySpend{day, 0, 0, 0, 0, 0, entry.balance_after});
    }
    DailySpend& spend = days.back();
    if (entry.kind == sdk::WalletEntryKind::Charge) {
        ++spend.charges;
        spend.input_tokens += entry.input_tokens;
        spend.cached_input_tokens += entry.cached_input_tokens;
        spend.output_tokens += entry.output_tokens;
        spend.charged_micro_usd -= entry.amount_micro_usd;
    }
}

}  // namespace

Actor customerActor(const CustomerAccount& account) {
    return "customer:" + account.owner.customer.username;
}

sdk::Result<CustomerAccount> CustomerService::account(const sdk::Principal& caller) const {
    if (book_ == nullptr) {
        return sdk::Status{sdk::StatusCode::Unavailable,
                           "billing is off on this gateway, so it keeps no customer wallets"};
    }
    const auto wallet_id =
        caller.kind == sdk::CredentialKind::PoolKey ? book_->walletOf(caller.id) : std::nullopt;
    if (!wallet_id) {
        return sdk::Status{sdk::StatusCode::PermissionDenied,
                           "this Pool API key is not linked to a customer's wallet"};
    }
    auto wallets = walletRepository(context_.storage);
    if (!wallets.ok()) {
        return wallets.status();
    }
    auto wallet = wallets.value()->getWallet(*wallet_id);
    if (!wallet.ok()) {
        return wallet.status();
    }
    auto customer = wallets.value()->getCustomer(wallet->customer_id);
    if (!customer.ok()) {
        return customer.status();
    }
    CustomerAccount found{{std::move(customer).value(), std::move(wallet).value()}, caller.id};
    found.owner.wallet.balance_micro_usd =
        book_->balanceOf(*wallet_id).value_or(found.owner.wallet.balance_micro_usd);
    return found;
}

sdk::Result<std::vector<sdk::ApiKeyRecord>> CustomerService::keys(
    const CustomerAccount& account) const {
    std::vector<sdk::ApiKeyRecord> keys;
    for (const auto& prefix : book_->keysOf(account.owner.wallet.id)) {
        auto key = context_.storage.apiKeys().findByPrefix(prefix);
        if (key.ok()) {
            keys.push_back(std::move(key).value());
        } else if (key.status().code() != sdk::StatusCode::NotFound) {
            return key.status();
        }
    }
    return keys;
}

sdk::Result<UsageStatement> CustomerService::usage(const sdk::Principal& caller,
                                                   std::uint32_t limit, std::uint32_t days) const {
    auto found = account(caller);
    if (!found.ok()) {
        return found.status();
    }
    auto wallets = walletRepository(context_.storage);
    const std::uint32_t read = std::max(limit, kMaxDailyWindow);
    auto entries = wallets.value()->transactions(found->owner.wallet.id, read);
    if (!entries.ok()) {
        return entries.status();
    }
    UsageStatement statement{std::move(found).value(), {}, {}, true};
    const std::int64_t first_day =
        accounting::utcDay(context_.clock.now()) - static_cast<std::int64_t>(days) + 1;
    for (const auto& entry : entries.value()) {
        if (accounting::utcDay(entry.created_at) >= first_day) {
            addToDays(statement.days, entry);
        }
    }
    statement.days_complete =
        entries->size() < read || accounting::utcDay(entries->back().created_at) < first_day;
    entries->resize(std::min<std::size_t>(entries->size(), limit));
    statement.transactions = std::move(entries).value();
    return statement;
}

sdk::Result<Issued<sdk::ApiKeyRecord>> CustomerService::issueKey(const sdk::Principal& caller,
                                                                 const std::string& name) {
    auto found = account(caller);
    if (!found.ok()) {
        return found.status();
    }
    const Actor actor = customerActor(found.value());
    auto owned = keys(found.value());
    if (!owned.ok()) {
        return owned.status();
    }
    const auto active = std::count_if(owned->begin(), owned->end(), [](const auto& key) {
        return key.status != sdk::CredentialStatus::Revoked;
    });
    if (static_cast<std::size_t>(active) >= kMaxActiveKeys) {
        const sdk::Status refused{sdk::StatusCode::FailedPrecondition,
                                  "a customer holds at most 20 keys that are not revoked; "
                                  "revoke one first"};
        recordAudit(context_, actor, "key.create", caller.pool, refused);
        return refused;
    }
    CredentialService credentials(context_);
    auto issued = credentials.createKey(caller.pool, name, actor);
    if (!issued.ok()) {
        return issued.status();
    }
    // The new key can do no more than the key that made it.
    sdk::Status status;
    if (!caller.policy_json.empty() && caller.policy_json != "{}") {
        auto limited = credentials.setKeyPolicy(issued->record.prefix, caller.policy_json, actor);
        status = limited.status();
        if (limited.ok()) {
            issued->record = std::move(limited).value();
        }
    }
    if (status.ok()) {
        status = WalletService(context_).linkKey(found->owner.customer.username,
                                                 issued->record.prefix, actor);
    }
    if (!status.ok()) {
        credentials.setKeyStatus(issued->record.prefix, sdk::CredentialStatus::Revoked, actor);
        return status;
    }
    return issued;
}

sdk::Status CustomerService::revokeKey(const sdk::Principal& caller,
                                       const std::string& key_prefix) {
    auto found = account(caller);
    if (!found.ok()) {
        return found.status();
    }
    const Actor actor = customerActor(found.value());
    const auto owned = book_->keysOf(found->owner.wallet.id);
    if (std::find(owned.begin(), owned.end(), key_prefix) == owned.end()) {
        const sdk::Status refused = notYours(key_prefix);
        recordAudit(context_, actor, "key.revoke", key_prefix, refused);
        return refused;
    }
    return CredentialService(context_).setKeyStatus(key_prefix, sdk::CredentialStatus::Revoked,
                                                    actor);
}

sdk::Result<Issued<sdk::ApiKeyRecord>> CustomerService::rotateKey(const sdk::Principal& caller) {
    auto found = account(caller);
    if (!found.ok()) {
        return found.status();
    }
    const Actor actor = customerActor(found.value());
    std::lock_guard lock(rotation_mutex_);
    // Without shared state, or while it is unreachable, this process's lock is all there is.
    const runtime::SharedLock across_replicas(shared_, "rotate:" + found->owner.customer.id,
                                              kRotationLockTtl);
    if (across_replicas.outcome() == runtime::SharedLock::Outcome::HeldByPeer) {
        const sdk::Status refused{sdk::StatusCode::FailedPrecondition,
                                  "a key of this customer is being rotated through another "
                                  "gateway replica; try again in a few seconds"};
        recordAudit(context_, actor, "key.rotate", caller.id, refused);
        return refused;
    }
    return rotateUnlessTooSoon(caller, actor);
}

sdk::Result<Issued<sdk::ApiKeyRecord>> CustomerService::rotateUnlessTooSoon(
    const sdk::Principal& caller, const Actor& actor) {
    auto last = lastRotation(actor);
    if (!last.ok()) {
        return last.status();
    }
    if (last.value()) {
        const sdk::Status refused{sdk::StatusCode::FailedPrecondition,
                                  "a key of this customer was rotated at " +
                                      accounting::rfc3339(*last.value()) +
                                      "; the next rotation is possible from " +
                                      accounting::rfc3339(*last.value() + kRotationInterval)};
        recordAudit(context_, actor, "key.rotate", caller.id, refused);
        return refused;
    }
    return CredentialService(context_).rotateKey(caller.id, actor);
}

sdk::Result<std::optional<sdk::TimePoint>> CustomerService::lastRotation(const Actor& actor) const {
    sdk::AuditQuery query;
    query.actor = actor;
    query.action = "key.rotate";
    query.since = context_.clock.now() - kRotationInterval;
    query.limit = kAuditPage;
    while (true) {
        auto page = context_.storage.audit().query(query);
        if (!page.ok()) {
            return page.status();
        }
        for (const auto& event : page->items) {  // newest first
            if (event.outcome == "success") {
                return std::optional<sdk::TimePoint>(event.occurred_at);
            }
        }
        if (!page->next_cursor) {
            return std::optional<sdk::TimePoint>();
        }
        query.before_id = page->next_cursor;
    }
}

}  // namespace sluice::core::control
