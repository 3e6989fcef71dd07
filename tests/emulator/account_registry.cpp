#include "tests/emulator/account_registry.hpp"

#include <algorithm>
#include <mutex>
#include <random>

#include "tests/emulator/script_loader.hpp"
#include "tests/emulator/token_minter.hpp"

namespace sluice::emulator {
namespace {

/// Distinguishes tokens of two emulator runs, so a gateway that kept tokens from an earlier
/// test never authenticates by accident.
std::string randomSalt() {
    std::random_device device;
    constexpr std::string_view kDigits = "0123456789abcdef";
    std::string salt;
    for (int i = 0; i < 8; ++i)
        salt += kDigits[device() % kDigits.size()];
    return salt;
}

TokenSubject subjectOf(const AccountSpec& profile) {
    return {profile.id, profile.user_id, profile.email, profile.plan_type};
}

}  // namespace

AccountRegistry::AccountRegistry(Clock clock) : clock_(std::move(clock)), salt_(randomSalt()) {}

std::string AccountRegistry::nextSerial() {
    return salt_ + std::to_string(serial_.fetch_add(1, std::memory_order_relaxed) + 1);
}

AccountTokens AccountRegistry::mint(const AccountSpec& profile, std::chrono::seconds ttl) {
    const auto now = clock_();
    const auto serial = nextSerial();
    AccountTokens tokens;
    tokens.access_token =
        mintAccessToken(subjectOf(profile), now, now + ttl.count(), "at_" + serial);
    tokens.id_token = mintIdToken(subjectOf(profile), now, now + ttl.count(), "id_" + serial);
    tokens.refresh_token = "rt_emu_" + serial;
    return tokens;
}

void AccountRegistry::reset(const std::vector<AccountSpec>& specs) {
    std::unique_lock lock(mutex_);
    accounts_.clear();
    order_.clear();
    access_tokens_.clear();
    refresh_tokens_.clear();
    for (const auto& spec : specs) {
        if (!addLocked(spec))
            throw ScriptError("accounts: duplicate account id '" + spec.id + "'");
    }
}

AccountPtr AccountRegistry::add(AccountSpec spec) {
    std::unique_lock lock(mutex_);
    return addLocked(std::move(spec));
}

AccountPtr AccountRegistry::addLocked(AccountSpec spec) {
    if (accounts_.count(spec.id) != 0)
        return nullptr;
    const auto now = clock_();
    auto minted = mint(spec, spec.oauth.access_token_ttl);
    AccountTokens tokens;
    tokens.id_token = minted.id_token;
    if (spec.access_token.empty()) {
        tokens.access_token = minted.access_token;
        access_tokens_[tokens.access_token] = {spec.id, now + spec.oauth.access_token_ttl.count()};
    } else {
        tokens.access_token = spec.access_token;
        access_tokens_[tokens.access_token] = {spec.id, 0};
    }
    tokens.refresh_token = spec.refresh_token.empty() ? minted.refresh_token : spec.refresh_token;
    refresh_tokens_[tokens.refresh_token] = {spec.id, false};
    auto account = std::make_shared<Account>(std::move(spec));
    account->setTokens(std::move(tokens));
    accounts_[account->id()] = account;
    order_.push_back(account->id());
    return account;
}

bool AccountRegistry::remove(const std::string& id) {
    std::unique_lock lock(mutex_);
    if (accounts_.erase(id) == 0)
        return false;
    order_.erase(std::remove(order_.begin(), order_.end(), id), order_.end());
    std::erase_if(access_tokens_, [&](const auto& entry) { return entry.second.account_id == id; });
    std::erase_if(refresh_tokens_,
                  [&](const auto& entry) { return entry.second.account_id == id; });
    return true;
}

AccountPtr AccountRegistry::find(const std::string& id) const {
    std::shared_lock lock(mutex_);
    const auto it = accounts_.find(id);
    return it == accounts_.end() ? nullptr : it->second;
}

std::vector<AccountPtr> AccountRegistry::list() const {
    std::shared_lock lock(mutex_);
    std::vector<AccountPtr> out;
    out.reserve(order_.size());
    for (const auto& id : order_)
        out.push_back(accounts_.at(id));
    return out;
}

AuthResult AccountRegistry::authenticate(std::string_view bearer,
                                         std::string_view account_id) const {
    if (bearer.empty() || account_id.empty())
        return {AuthStatus::kMissing, nullptr};
    std::shared_lock lock(mutex_);
    const auto token = access_tokens_.find(std::string(bearer));
    if (token == access_tokens_.end() || token->second.account_id != account_id) {
        return {AuthStatus::kUnknown, nullptr};
    }
    const auto account = accounts_.find(token->second.account_id);
    if (account == accounts_.end())
        return {AuthStatus::kUnknown, nullptr};
    const auto& entry = token->second;
    if (entry.revoked || (entry.expires_at != 0 && entry.expires_at <= clock_())) {
        return {AuthStatus::kExpired, account->second};
    }
    return {AuthStatus::kOk, account->second};
}

RefreshTokenOwner AccountRegistry::lookupRefreshToken(const std::string& refresh_token) const {
    std::shared_lock lock(mutex_);
    const auto entry = refresh_tokens_.find(refresh_token);
    if (entry == refresh_tokens_.end())
        return {RefreshLookup::kUnknown, nullptr};
    const auto account = accounts_.find(entry->second.account_id);
    if (account == accounts_.end())
        return {RefreshLookup::kUnknown, nullptr};
    return {entry->second.used ? RefreshLookup::kUsed : RefreshLookup::kActive, account->second};
}

std::optional<AccountTokens> AccountRegistry::rotate(const std::string& refresh_token,
                                                     std::chrono::seconds access_token_ttl) {
    std::unique_lock lock(mutex_);
    const auto entry = refresh_tokens_.find(refresh_token);
    if (entry == refresh_tokens_.end() || entry->second.used)
        return std::nullopt;
    const auto account = accounts_.find(entry->second.account_id);
    if (account == accounts_.end())
        return std::nullopt;
    entry->second.used = true;
    return issueLocked(*account->second, access_token_ttl);
}

std::optional<AccountTokens> AccountRegistry::issue(const std::string& id,
                                                    std::chrono::seconds access_token_ttl) {
    std::unique_lock lock(mutex_);
    const auto account = accounts_.find(id);
    if (account == accounts_.end())
        return std::nullopt;
    return issueLocked(*account->second, access_token_ttl);
}

AccountTokens AccountRegistry::issueLocked(Account& account, std::chrono::seconds ttl) {
    const auto profile = account.profile();
    auto tokens = mint(*profile, ttl);
    access_tokens_[tokens.access_token] = {profile->id, clock_() + ttl.count()};
    refresh_tokens_[tokens.refresh_token] = {profile->id, false};
    account.setTokens(tokens);
    return tokens;
}

bool AccountRegistry::expireAccessTokens(const std::string& id) {
    std::unique_lock lock(mutex_);
    if (accounts_.count(id) == 0)
        return false;
    for (auto& [token, entry] : access_tokens_) {
        if (entry.account_id == id)
            entry.revoked = true;
    }
    return true;
}

}  // namespace sluice::emulator
