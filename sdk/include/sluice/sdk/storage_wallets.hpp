#pragma once

// SDK ABI 2.1: customers' wallets (issue 17, ADR 0008), kept by storage backends that offer
// them. An optional capability found with dynamic_cast, so no released interface changes.
// Money is integer micro-USD throughout; a balance is never negative.
// SDK ABI 2.4: CustomerBearerRepository, the customers who opted in to their username as a
// bearer on the customer routes (seed 002's compatibility switch), a capability of its own.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sluice/sdk/export.hpp"
#include "sluice/sdk/status.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::sdk {

/// Someone who pays: holds wallets, whose linked Pool keys are charged.
struct CustomerRecord {
    std::string id;        ///< "cus_<hex>", unique
    std::string username;  ///< unique
    TimePoint created_at{};
};

struct WalletRecord {
    std::string id;  ///< "wal_<hex>", unique
    std::string customer_id;
    std::int64_t balance_micro_usd = 0;  ///< never negative
    TimePoint created_at{};
    TimePoint updated_at{};
};

/// A Pool key (by prefix) whose usage is charged to a wallet. Unlinked keys are never charged.
struct WalletKeyLink {
    std::string key_prefix;
    std::string wallet_id;
};

/// Prices of one model from one version on; a charge names the version it used. The model "*"
/// prices models that have no card of their own.
struct RateCardRecord {
    std::string model;
    std::uint32_t version = 0;                  ///< 1, 2, ... per model
    std::int64_t input_per_million = 0;         ///< micro-USD per million input tokens
    std::int64_t cached_input_per_million = 0;  ///< micro-USD per million cached input tokens
    std::int64_t output_per_million = 0;        ///< micro-USD per million output tokens
    std::int64_t per_call = 0;                  ///< micro-USD added to every charged request
    TimePoint created_at{};
};

/// Why a rate card cannot be stored (InvalidArgument), or ok. Shared by every backend.
inline Status checkRateCard(const RateCardRecord& card) {
    if (card.model.empty() || card.version == 0) {
        return {StatusCode::InvalidArgument, "a rate card needs a model and a version from 1"};
    }
    if (card.input_per_million < 0 || card.cached_input_per_million < 0 ||
        card.output_per_million < 0 || card.per_call < 0) {
        return {StatusCode::InvalidArgument, "rate card prices must not be negative"};
    }
    return Status::success();
}

enum class WalletEntryKind { Charge, Credit, Debit };

/// "charge", "credit" or "debit": how operators and storage name a kind.
inline const char* walletEntryKindName(WalletEntryKind kind) noexcept {
    switch (kind) {
        case WalletEntryKind::Charge:
            return "charge";
        case WalletEntryKind::Credit:
            return "credit";
        case WalletEntryKind::Debit:
            return "debit";
    }
    return "charge";
}

/// One movement of a wallet's balance.
struct WalletTransactionRecord {
    std::string id;  ///< "wtx_<hex>", unique
    std::string wallet_id;
    WalletEntryKind kind = WalletEntryKind::Charge;
    /// Charges: the response id (or request id) the usage came from; credits and debits: an
    /// optional caller-chosen key (e.g. a payment event id). Unique when not empty.
    std::string idempotency_key;
    std::string key_prefix;  ///< charges: the Pool key that spent
    std::string model;
    std::uint32_t rate_card_version = 0;
    std::uint64_t input_tokens = 0;  ///< charged (new, uncached) input tokens
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    /// Signed change of the balance: negative for charges and debits. A charge's amount can be
    /// smaller than its cost when the wallet drained to 0.
    std::int64_t amount_micro_usd = 0;
    std::int64_t cost_micro_usd = 0;  ///< charges: what the usage cost at the card's prices
    std::int64_t balance_after = 0;
    std::string reason;  ///< credits and debits: why (audited)
    TimePoint created_at{};
};

/// What the charger asks storage to book for one settled request.
struct WalletCharge {
    std::string transaction_id;
    std::string idempotency_key;  ///< required
    std::string wallet_id;
    std::string key_prefix;
    std::string model;
    std::uint32_t rate_card_version = 0;
    std::string conversation_key;             ///< empty: no baseline is kept
    std::uint64_t reported_input_tokens = 0;  ///< becomes the conversation's baseline
    std::uint64_t input_tokens = 0;
    std::uint64_t cached_input_tokens = 0;
    std::uint64_t output_tokens = 0;
    std::int64_t cost_micro_usd = 0;  ///< >= 0
    TimePoint created_at{};
};

/// The transaction a charge books against a wallet holding `balance`: it debits min(cost,
/// balance), so a wallet drains to exactly 0 and never below. Shared by every backend, which
/// sets balance_after when it writes.
inline WalletTransactionRecord chargeEntry(const WalletCharge& charge, std::int64_t balance) {
    WalletTransactionRecord entry;
    entry.id = charge.transaction_id;
    entry.wallet_id = charge.wallet_id;
    entry.kind = WalletEntryKind::Charge;
    entry.idempotency_key = charge.idempotency_key;
    entry.key_prefix = charge.key_prefix;
    entry.model = charge.model;
    entry.rate_card_version = charge.rate_card_version;
    entry.input_tokens = charge.input_tokens;
    entry.cached_input_tokens = charge.cached_input_tokens;
    entry.output_tokens = charge.output_tokens;
    entry.cost_micro_usd = charge.cost_micro_usd;
    entry.amount_micro_usd = -(charge.cost_micro_usd < balance ? charge.cost_micro_usd : balance);
    entry.created_at = charge.created_at;
    return entry;
}

/// Customers, wallets, key links, rate cards and the transactions between them. Thread-safe;
/// may block; never called on a request's path.
class SLUICE_SDK_API WalletRepository {
public:
    virtual ~WalletRepository() = default;

    /// AlreadyExists when the id or the username is taken.
    virtual Status createCustomer(const CustomerRecord& customer) noexcept = 0;
    virtual Result<CustomerRecord> getCustomer(std::string_view id) noexcept = 0;
    virtual Result<std::vector<CustomerRecord>> listCustomers() noexcept = 0;  ///< by username

    /// AlreadyExists when the id is taken; NotFound when the customer is unknown. The balance
    /// starts at `balance_micro_usd` (InvalidArgument when negative).
    virtual Status createWallet(const WalletRecord& wallet) noexcept = 0;
    virtual Result<WalletRecord> getWallet(std::string_view id) noexcept = 0;
    /// All wallets, or those of one customer; by creation time, then id.
    virtual Result<std::vector<WalletRecord>> listWallets(
        std::optional<std::string_view> customer_id) noexcept = 0;

    /// Links (or re-links) a key to a wallet; NotFound when the wallet is unknown.
    virtual Status linkKey(const WalletKeyLink& link) noexcept = 0;
    virtual Status unlinkKey(std::string_view key_prefix) noexcept = 0;      ///< NotFound
    virtual Result<std::vector<WalletKeyLink>> listKeyLinks() noexcept = 0;  ///< by key prefix

    /// AlreadyExists when (model, version) is taken; InvalidArgument for a negative price or
    /// version 0.
    virtual Status addRateCard(const RateCardRecord& card) noexcept = 0;
    /// Every version of every model, by model then version.
    virtual Result<std::vector<RateCardRecord>> listRateCards() noexcept = 0;

    /// The conversation's cumulative reported input (0 when none is kept).
    virtual Result<std::uint64_t> conversationBaseline(
        std::string_view wallet_id, std::string_view conversation_key) noexcept = 0;
    /// Books a charge atomically: AlreadyExists (and no change) when its idempotency key was
    /// seen; NotFound for an unknown wallet. Debits min(cost, balance), records the transaction
    /// and stores the conversation baseline. Returns the transaction booked.
    virtual Result<WalletTransactionRecord> charge(const WalletCharge& charge) noexcept = 0;
    /// Credits (amount > 0) or debits (amount < 0) a wallet with a reason, atomically:
    /// FailedPrecondition when a debit exceeds the balance, AlreadyExists for a seen non-empty
    /// idempotency key, NotFound for an unknown wallet. `entry` gives id, wallet_id,
    /// idempotency_key, amount_micro_usd, reason and created_at; kind and balance_after are set.
    virtual Result<WalletTransactionRecord> adjust(
        const WalletTransactionRecord& entry) noexcept = 0;
    /// A wallet's transactions, newest first (created_at, then id), at most `limit`.
    virtual Result<std::vector<WalletTransactionRecord>> transactions(
        std::string_view wallet_id, std::uint32_t limit) noexcept = 0;
};

/// Optional: a StorageBackend that also derives from this keeps wallets. Thread-safe; the
/// repository is owned by the backend and lives as long as it does.
class SLUICE_SDK_API StoresWallets {
public:
    virtual ~StoresWallets() = default;
    virtual WalletRepository& wallets() noexcept = 0;
};

/// Optional (SDK ABI 2.4): the customers whose username also acts as a bearer on the customer
/// routes (seed 002's compatibility switch). Off unless an operator turns it on; a username is
/// weaker than a key (guessable, never rotated), so the host accepts it on those routes' reads
/// only. Thread-safe; may block; never called on a request's path.
class SLUICE_SDK_API CustomerBearerRepository {
public:
    virtual ~CustomerBearerRepository() = default;
    /// Turns it on or off (idempotent); NotFound for an unknown customer.
    virtual Status setUsernameBearer(std::string_view customer_id, bool enabled) noexcept = 0;
    /// The ids of the customers that have it on, sorted.
    virtual Result<std::vector<std::string>> usernameBearers() noexcept = 0;
};

/// Optional: a StorageBackend that also derives from this keeps the switch. The repository is
/// owned by the backend and lives as long as it does.
class SLUICE_SDK_API StoresCustomerBearers {
public:
    virtual ~StoresCustomerBearers() = default;
    virtual CustomerBearerRepository& customerBearers() noexcept = 0;
};

}  // namespace sluice::sdk
