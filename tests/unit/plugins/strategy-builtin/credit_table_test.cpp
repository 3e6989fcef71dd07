#include "plugins/strategy-builtin/credit_table.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::strategy_builtin {
namespace {

TEST(CreditTableTest, ClaimsASlotOnceAndFindsItAfter) {
    CreditTable table(16);
    bool claimed = false;
    auto* first = table.find(42, claimed);
    ASSERT_NE(first, nullptr);
    EXPECT_TRUE(claimed);
    first->store(7);

    auto* again = table.find(42, claimed);
    EXPECT_EQ(again, first);
    EXPECT_FALSE(claimed);
    EXPECT_EQ(again->load(), 7U);
    EXPECT_NE(table.find(43, claimed), first);
    EXPECT_TRUE(claimed);
}

TEST(CreditTableTest, HashZeroIsAnAccountLikeAnyOther) {
    CreditTable table(4);
    bool claimed = false;
    auto* zero = table.find(0, claimed);
    ASSERT_NE(zero, nullptr);
    EXPECT_TRUE(claimed);
    EXPECT_EQ(table.find(0, claimed), zero);
    EXPECT_FALSE(claimed);
}

TEST(CreditTableTest, AFullTableAnswersNothingForNewAccounts) {
    CreditTable table(8);  // 16 slots
    bool claimed = false;
    for (std::uint64_t id = 1; id <= 16; ++id) {
        ASSERT_NE(table.find(id, claimed), nullptr) << id;
    }
    EXPECT_EQ(table.find(1000, claimed), nullptr);
    EXPECT_FALSE(claimed);
    EXPECT_NE(table.find(5, claimed), nullptr) << "accounts already in keep their slot";
}

}  // namespace
}  // namespace sluice::plugins::strategy_builtin
