#include "core/billing/wallet_gauges.hpp"

namespace sluice::core::billing {

void WalletGauges::refresh() {
    std::vector<std::pair<sdk::MetricLabels, double>> samples;
    for (const auto& [wallet, micro_usd] : book_.lowestBalances(count_)) {
        samples.push_back({{{"wallet", wallet}}, static_cast<double>(micro_usd) / 1e6});
    }
    registry_.replaceGauges("sluice_wallet_balance_usd",
                            "Balance of the wallets closest to running dry, in USD "
                            "(billing.balance_gauge_wallets of them)",
                            samples);
}

}  // namespace sluice::core::billing
