#include "core/billing/wallet_book.hpp"

#include <gtest/gtest.h>

#include "plugins/storage-memory/memory_backend.hpp"

namespace sluice::core::billing {
namespace {

class WalletBookTest : public ::testing::Test {
protected:
    WalletBookTest() {
        sdk::WalletRepository& wallets = storage_.wallets();
        EXPECT_TRUE(wallets.createCustomer({"cus_1", "ada", {}}).ok());
        EXPECT_TRUE(wallets.createCustomer({"cus_2", "bob", {}}).ok());
        EXPECT_TRUE(wallets.createWallet({"wal_1", "cus_1", 5, {}, {}}).ok());
        EXPECT_TRUE(wallets.createWallet({"wal_2", "cus_2", 0, {}, {}}).ok());
        for (const char* prefix : {"sk-b", "sk-a"}) {
            EXPECT_TRUE(wallets.linkKey({prefix, "wal_1"}).ok());
        }
        EXPECT_TRUE(wallets.linkKey({"sk-c", "wal_2"}).ok());
    }

    plugins::storage_memory::MemoryBackend storage_;
    WalletBook book_;
};

TEST_F(WalletBookTest, AWalletsKeysAreListedSorted) {
    ASSERT_TRUE(book_.reload(storage_.wallets()).ok());
    EXPECT_EQ(book_.keysOf("wal_1"), (std::vector<std::string>{"sk-a", "sk-b"}));
    EXPECT_EQ(book_.keysOf("wal_2"), (std::vector<std::string>{"sk-c"}));
    EXPECT_TRUE(book_.keysOf("wal_9").empty());
    EXPECT_EQ(book_.balanceOf("wal_1"), 5);
}

TEST_F(WalletBookTest, TheLowestBalancesAreOfWalletsSomeKeySpendsFrom) {
    sdk::WalletRepository& wallets = storage_.wallets();
    ASSERT_TRUE(wallets.createCustomer({"cus_3", "cy", {}}).ok());
    ASSERT_TRUE(wallets.createWallet({"wal_3", "cus_3", 5, {}, {}}).ok());
    ASSERT_TRUE(wallets.linkKey({"sk-d", "wal_3"}).ok());
    ASSERT_TRUE(wallets.createCustomer({"cus_4", "di", {}}).ok());
    ASSERT_TRUE(wallets.createWallet({"wal_4", "cus_4", 0, {}, {}}).ok());  // no key: left out
    ASSERT_TRUE(book_.reload(wallets).ok());
    using Balances = std::vector<std::pair<std::string, std::int64_t>>;
    EXPECT_EQ(book_.lowestBalances(2), (Balances{{"wal_2", 0}, {"wal_1", 5}}));
    EXPECT_EQ(book_.lowestBalances(10), (Balances{{"wal_2", 0}, {"wal_1", 5}, {"wal_3", 5}}));
    EXPECT_TRUE(book_.lowestBalances(0).empty());
    book_.setBalance("wal_2", 9);
    EXPECT_EQ(book_.lowestBalances(1), (Balances{{"wal_1", 5}}));
}

TEST_F(WalletBookTest, OnlyOptedInUsernamesFindTheirWallet) {
    ASSERT_TRUE(storage_.customerBearers().setUsernameBearer("cus_1", true).ok());
    ASSERT_TRUE(book_.reload(storage_.wallets()).ok());
    EXPECT_FALSE(book_.walletOfUsername("ada")) << "without the switch's repository: none";

    ASSERT_TRUE(book_.reload(storage_.wallets(), &storage_.customerBearers()).ok());
    EXPECT_EQ(book_.walletOfUsername("ada"), "wal_1");
    EXPECT_FALSE(book_.walletOfUsername("bob")) << "bob did not opt in";
    EXPECT_FALSE(book_.walletOfUsername("cus_1")) << "by username, not id";

    ASSERT_TRUE(storage_.customerBearers().setUsernameBearer("cus_1", false).ok());
    ASSERT_TRUE(book_.reload(storage_.wallets(), &storage_.customerBearers()).ok());
    EXPECT_FALSE(book_.walletOfUsername("ada"));
}

}  // namespace
}  // namespace sluice::core::billing
