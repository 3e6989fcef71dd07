#include "core/billing/wallet_gauges.hpp"

#include <gtest/gtest.h>

#include "plugins/storage-memory/memory_backend.hpp"

namespace sluice::core::billing {
namespace {

TEST(WalletGaugesTest, ShowTheLowestBalancesInUsdAndDropWalletsThatLeftThem) {
    plugins::storage_memory::MemoryBackend storage;
    sdk::WalletRepository& wallets = storage.wallets();
    for (const char* id : {"1", "2", "3"}) {
        ASSERT_TRUE(wallets.createCustomer({std::string("cus_") + id, id, {}}).ok());
        ASSERT_TRUE(
            wallets.createWallet({std::string("wal_") + id, std::string("cus_") + id, 0, {}, {}})
                .ok());
        ASSERT_TRUE(wallets.linkKey({std::string("sk-") + id, std::string("wal_") + id}).ok());
    }
    WalletBook book;
    ASSERT_TRUE(book.reload(wallets).ok());
    book.setBalance("wal_1", 2'500'000);
    book.setBalance("wal_2", 1'000);
    book.setBalance("wal_3", 7'000'000);
    observability::MetricsRegistry registry;
    WalletGauges gauges(registry, book, 2);

    gauges.refresh();
    std::string text = registry.renderPrometheus();
    EXPECT_NE(text.find("sluice_wallet_balance_usd{wallet=\"wal_2\"} 0.001\n"), std::string::npos)
        << text;
    EXPECT_NE(text.find("sluice_wallet_balance_usd{wallet=\"wal_1\"} 2.5\n"), std::string::npos);
    EXPECT_EQ(text.find("wal_3"), std::string::npos);

    book.setBalance("wal_1", 9'000'000);
    gauges.refresh();
    text = registry.renderPrometheus();
    EXPECT_EQ(text.find("wal_1"), std::string::npos) << text;
    EXPECT_NE(text.find("sluice_wallet_balance_usd{wallet=\"wal_3\"} 7\n"), std::string::npos);
}

}  // namespace
}  // namespace sluice::core::billing
