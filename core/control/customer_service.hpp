#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "core/billing/wallet_book.hpp"
#include "core/control/credential_service.hpp"
#include "core/control/wallet_service.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/shared_state.hpp"

namespace sluice::core::control {

/// The customer a Pool key belongs to: the wallet the key spends from, that wallet's owner, and
/// the key itself.
struct CustomerAccount {
    CustomerWallet owner;  ///< the balance is the preflight's, in memory
    std::string caller_key;
};

/// What one UTC day moved on a wallet.
struct DailySpend {
    std::int64_t day = 0;  ///< days since the Unix epoch (accounting::utcDay)
    std::uint32_t charges = 0;
    std::uint64_t input_tokens = 0;
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::int64_t charged_micro_usd = 0;  ///< taken by charges (>= 0)
    std::int64_t balance_after = 0;      ///< the balance the day's last transaction left
};

/// A customer's newest transactions and the spend of its last days.
struct UsageStatement {
    CustomerAccount account;
    std::vector<sdk::WalletTransactionRecord> transactions;  ///< newest first
    std::vector<DailySpend> days;                            ///< newest first, days with any
    /// False when the window holds more transactions than one statement reads, so the oldest
    /// day's totals are a part only.
    bool days_complete = true;
};

/// A customer's own view of its wallet and keys, for the customer routes (issue 17). The caller
/// is a Pool key linked to the customer's wallet; a key links the customer's keys to its wallet
/// through the same control services operators use, so every change is audited (actor
/// "customer:<username>") and reaches the running gateway at once. Key-to-wallet links and
/// balances come from the wallet book in memory; records are bounded point reads. Errors:
/// Unavailable when billing is off, PermissionDenied for a key linked to no wallet, NotFound
/// for a key that is not the customer's, FailedPrecondition for a rotation within 24 h or too
/// many keys. Thread-safe; may block on storage (control plane only).
class CustomerService final {
public:
    static constexpr std::chrono::hours kRotationInterval{24};
    static constexpr std::size_t kMaxActiveKeys = 20;
    static constexpr std::uint32_t kMaxDailyWindow = 2000;  ///< transactions read for `days`

    /// Borrows all three; `book` is null when billing is off, `shared` without shared state
    /// (ADR 0012), when rotations are serialised in this process only.
    CustomerService(ControlContext& context, const billing::WalletBook* book,
                    sdk::SharedState* shared = nullptr)
        : context_(context), book_(book), shared_(shared) {}

    sdk::Result<CustomerAccount> account(const sdk::Principal& caller) const;
    /// Every key linked to the customer's wallet, revoked ones included, by prefix.
    sdk::Result<std::vector<sdk::ApiKeyRecord>> keys(const CustomerAccount& account) const;
    /// The newest `limit` transactions and the spend of the last `days` UTC days (today too).
    sdk::Result<UsageStatement> usage(const sdk::Principal& caller, std::uint32_t limit,
                                      std::uint32_t days) const;

    /// A key in the caller's pool with the caller's policy, linked to the customer's wallet.
    sdk::Result<Issued<sdk::ApiKeyRecord>> issueKey(const sdk::Principal& caller,
                                                    const std::string& name);
    /// Revokes one of the customer's keys for good (NotFound for another customer's).
    sdk::Status revokeKey(const sdk::Principal& caller, const std::string& key_prefix);
    /// A new secret for the caller's key, at most once per kRotationInterval per customer.
    /// Replicas sharing a database and a shared state check and rotate one at a time: while
    /// another holds the customer's rotation, FailedPrecondition.
    sdk::Result<Issued<sdk::ApiKeyRecord>> rotateKey(const sdk::Principal& caller);

private:
    /// How long a replica's rotation may hold the others off (its check and one key write).
    static constexpr std::chrono::seconds kRotationLockTtl{10};

    sdk::Result<Issued<sdk::ApiKeyRecord>> rotateUnlessTooSoon(const sdk::Principal& caller,
                                                               const Actor& actor);
    /// The time of the customer's last rotation within the interval, if any.
    sdk::Result<std::optional<sdk::TimePoint>> lastRotation(const Actor& actor) const;

    ControlContext& context_;
    const billing::WalletBook* book_;
    sdk::SharedState* shared_;
    std::mutex rotation_mutex_;  ///< one rotation check-and-rotate at a time in this process
};

/// The audit actor of a customer's own change.
Actor customerActor(const CustomerAccount& account);

}  // namespace sluice::core::control
