#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tests/emulator/account.hpp"

namespace sluice::emulator {

/// Unix seconds; injected so tests can pin token expiry and reset times.
using Clock = std::function<std::int64_t()>;

enum class AuthStatus { kOk, kMissing, kUnknown, kExpired };

struct AuthResult {
    AuthStatus status = AuthStatus::kMissing;
    AccountPtr account;  ///< set for kOk, and for kExpired when the pair was once valid
};

enum class RefreshLookup { kActive, kUsed, kUnknown };

struct RefreshTokenOwner {
    RefreshLookup state = RefreshLookup::kUnknown;
    AccountPtr account;
};

/// All accounts and the token indexes that authenticate requests against them. Thread-safe;
/// lookups take a shared lock, token rotation and control API edits an exclusive one.
class AccountRegistry final {
public:
    explicit AccountRegistry(Clock clock);

    /// Replaces every account (startup, control API reset). Throws ScriptError on a duplicate.
    void reset(const std::vector<AccountSpec>& specs);
    /// nullptr when the id is taken.
    AccountPtr add(AccountSpec spec);
    bool remove(const std::string& id);
    AccountPtr find(const std::string& id) const;
    std::vector<AccountPtr> list() const;

    /// A request is the account's when the bearer is one of its live access tokens and the
    /// chatgpt-account-id header names that same account.
    AuthResult authenticate(std::string_view bearer, std::string_view account_id) const;

    RefreshTokenOwner lookupRefreshToken(const std::string& refresh_token) const;
    /// Burns `refresh_token` and issues a fresh set; nullopt when it was used meanwhile.
    std::optional<AccountTokens> rotate(const std::string& refresh_token,
                                        std::chrono::seconds access_token_ttl);
    /// A fresh token set for account `id` (a new sign-in); nullopt for an unknown account.
    std::optional<AccountTokens> issue(const std::string& id,
                                       std::chrono::seconds access_token_ttl);
    /// Every access token of the account answers 401 until the next refresh.
    bool expireAccessTokens(const std::string& id);

    std::int64_t now() const { return clock_(); }

private:
    struct AccessEntry {
        std::string account_id;
        std::int64_t expires_at = 0;  ///< 0: a literal script token that never expires
        bool revoked = false;
    };
    struct RefreshEntry {
        std::string account_id;
        bool used = false;
    };

    AccountPtr addLocked(AccountSpec spec);
    std::string nextSerial();
    AccountTokens mint(const AccountSpec& profile, std::chrono::seconds ttl);
    AccountTokens issueLocked(Account& account, std::chrono::seconds ttl);

    Clock clock_;
    const std::string salt_;
    std::atomic<std::uint64_t> serial_{0};
    mutable std::shared_mutex mutex_;
    std::unordered_map<std::string, AccountPtr> accounts_;
    std::vector<std::string> order_;
    std::unordered_map<std::string, AccessEntry> access_tokens_;
    std::unordered_map<std::string, RefreshEntry> refresh_tokens_;
};

}  // namespace sluice::emulator
