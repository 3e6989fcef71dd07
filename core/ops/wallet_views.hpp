#pragma once

#include <nlohmann/json.hpp>

#include "core/control/wallet_service.hpp"

/// The JSON shapes of customers, wallet transactions and rate cards (issue 17), next to their
/// schemas; money as exact decimal USD strings.
namespace sluice::core::ops::views {

nlohmann::json customer(const control::CustomerWallet& owner);
nlohmann::json customerSchema();

nlohmann::json walletTransaction(const sdk::WalletTransactionRecord& entry);
nlohmann::json walletTransactionSchema();

nlohmann::json rateCard(const sdk::RateCardRecord& card);
nlohmann::json rateCardSchema();

}  // namespace sluice::core::ops::views
