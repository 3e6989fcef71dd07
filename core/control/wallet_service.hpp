#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/control/control_context.hpp"
#include "sluice/sdk/storage_wallets.hpp"

namespace sluice::core::control {

/// A customer with the wallet its keys spend from (created together, issue 17).
struct CustomerWallet {
    sdk::CustomerRecord customer;
    sdk::WalletRecord wallet;
};

/// A wallet with its newest transactions.
struct WalletStatement {
    CustomerWallet owner;
    std::vector<sdk::WalletTransactionRecord> transactions;  ///< newest first
};

/// Prices of a rate card as the operator writes them: USD decimals (see billing::parseUsd).
struct RateCardPrices {
    std::string input_per_million;
    std::string cached_input_per_million;
    std::string output_per_million;
    std::string per_call;
};

/// The backend's wallets; FailedPrecondition when it keeps none.
sdk::Result<sdk::WalletRepository*> walletRepository(sdk::StorageBackend& storage);

/// Customers, their wallets, key links and rate cards (ADR 0008) for every operator surface.
/// Customers are named by username. Every mutation writes an audit event, failures included.
/// FailedPrecondition from every call when the storage backend keeps no wallets.
class WalletService final {
public:
    explicit WalletService(ControlContext& context) : context_(context) {}

    /// A customer and its empty wallet; AlreadyExists for a taken username.
    sdk::Result<CustomerWallet> createCustomer(const std::string& username, const Actor& actor);
    sdk::Result<std::vector<CustomerWallet>> listCustomers() const;
    /// The customer's wallet and its last `limit` transactions; NotFound for an unknown one.
    sdk::Result<WalletStatement> statement(const std::string& username, std::uint32_t limit) const;

    /// Charges the Pool key's usage to the customer's wallet. NotFound for an unknown key or
    /// customer; FailedPrecondition when another customer's wallet already pays for the key.
    sdk::Status linkKey(const std::string& username, const std::string& key_prefix,
                        const Actor& actor);
    /// FailedPrecondition when the key is not linked to this customer's wallet.
    sdk::Status unlinkKey(const std::string& username, const std::string& key_prefix,
                          const Actor& actor);
    /// Lets the customer's username act as a bearer on the customer routes' reads (seed 002's
    /// compatibility; weaker than a key), or stops it. FailedPrecondition when the storage
    /// backend keeps no such switch.
    sdk::Status setUsernameBearer(const std::string& username, bool enabled, const Actor& actor);
    /// Adds (credit) or removes (debit) a USD amount with a reason; a debit never takes the
    /// balance below 0 (FailedPrecondition). InvalidArgument for a bad or zero amount or an
    /// empty reason.
    sdk::Result<sdk::WalletTransactionRecord> adjust(const std::string& username,
                                                     sdk::WalletEntryKind kind,
                                                     const std::string& amount_usd,
                                                     const std::string& reason, const Actor& actor);
    /// Credits a payment taken outside the gateway (a Stripe Checkout Session) once:
    /// AlreadyExists when `payment_id` was credited before, NotFound for an unknown customer.
    sdk::Result<sdk::WalletTransactionRecord> creditPayment(const std::string& username,
                                                            std::int64_t micro_usd,
                                                            const std::string& payment_id,
                                                            const std::string& reason,
                                                            const Actor& actor);

    /// Stores the next version of a model's card ("*": models without their own).
    sdk::Result<sdk::RateCardRecord> setRateCard(const std::string& model,
                                                 const RateCardPrices& prices, const Actor& actor);
    /// Stores the next version of every model's card with each of its prices changed by
    /// `percent` (signed, at most 2 decimals, -100 to 1000; see billing::adjustByPercent for
    /// the rounding). Returns the new cards. FailedPrecondition when there is no card.
    sdk::Result<std::vector<sdk::RateCardRecord>> adjustRateCards(const std::string& percent,
                                                                  const Actor& actor);
    sdk::Result<std::vector<sdk::RateCardRecord>> listRateCards() const;

private:
    /// A customer and the wallet a key is charged to now, if any.
    struct KeyLink {
        CustomerWallet owner;
        std::optional<std::string> linked_wallet;
    };

    sdk::Result<sdk::WalletRepository*> repository() const;
    /// Books a signed adjustment of the customer's wallet; an empty key books it unconditionally.
    sdk::Result<sdk::WalletTransactionRecord> book(const std::string& username,
                                                   std::int64_t micro_usd,
                                                   const std::string& reason,
                                                   const std::string& idempotency_key);
    sdk::Result<KeyLink> keyLink(sdk::WalletRepository& wallets, const std::string& username,
                                 const std::string& key_prefix) const;
    sdk::Result<CustomerWallet> find(sdk::WalletRepository& wallets,
                                     const std::string& username) const;
    /// The repository and the named customer's wallet in it, for calls that need both.
    struct OwnedWallet {
        sdk::WalletRepository* wallets = nullptr;
        CustomerWallet owner;
    };
    sdk::Result<OwnedWallet> ownerOf(const std::string& username) const;

    ControlContext& context_;
};

}  // namespace sluice::core::control
