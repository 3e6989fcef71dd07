#pragma once

#include <cstddef>

#include "core/billing/wallet_book.hpp"
#include "core/observability/metrics_registry.hpp"

namespace sluice::core::billing {

/// `sluice_wallet_balance_usd{wallet}`: the balances of the `count` wallets closest to refusing
/// requests (lowest first among wallets some key spends from), from the in-memory book when
/// /metrics is scraped. Series of wallets that left that set disappear, so labels stay bounded
/// by `count`.
class WalletGauges final {
public:
    WalletGauges(observability::MetricsRegistry& registry, const WalletBook& book,
                 std::size_t count)
        : registry_(registry), book_(book), count_(count) {}

    void refresh();

private:
    observability::MetricsRegistry& registry_;
    const WalletBook& book_;
    const std::size_t count_;
};

}  // namespace sluice::core::billing
