#include "core/billing/money.hpp"

#include <gtest/gtest.h>

namespace sluice::core::billing {
namespace {

TEST(MoneyTest, DecimalUsdIsParsedExactlyIntoMicroUsd) {
    EXPECT_EQ(parseUsd("12", "amount").value(), 12'000'000);
    EXPECT_EQ(parseUsd("0.15", "amount").value(), 150'000);
    EXPECT_EQ(parseUsd("2.500001", "amount").value(), 2'500'001);
    EXPECT_EQ(parseUsd("0.000001", "amount").value(), 1);
    EXPECT_EQ(parseUsd("0", "amount").value(), 0);
    EXPECT_EQ(parseUsd("9000000000000", "amount").value(), 9'000'000'000'000'000'000);
}

TEST(MoneyTest, AnythingButAPlainNonNegativeDecimalIsRefusedNamingTheField) {
    for (const char* bad : {"", "-1", "+1", "1.", ".5", "1.0000001", "1e3", "1,5", "abc", " 1",
                            "1.2.3", "9000000000001", "99999999999999999999"}) {
        const auto parsed = parseUsd(bad, "input");
        ASSERT_FALSE(parsed.ok()) << bad;
        EXPECT_EQ(parsed.status().code(), sdk::StatusCode::InvalidArgument) << bad;
        EXPECT_NE(parsed.status().message().find("input"), std::string::npos) << bad;
    }
}

TEST(MoneyTest, MicroUsdIsFormattedAsAnExactDecimal) {
    EXPECT_EQ(formatUsd(1'500'000), "1.500000");
    EXPECT_EQ(formatUsd(0), "0.000000");
    EXPECT_EQ(formatUsd(-25), "-0.000025");
    EXPECT_EQ(formatUsd(parseUsd("123.456789", "amount").value()), "123.456789");
}

TEST(MoneyTest, APercentIsParsedExactlyIntoHundredthsOfAPercent) {
    EXPECT_EQ(parsePercent("10", "percent").value(), 1'000);
    EXPECT_EQ(parsePercent("+10", "percent").value(), 1'000);
    EXPECT_EQ(parsePercent("-12.5", "percent").value(), -1'250);
    EXPECT_EQ(parsePercent("0.01", "percent").value(), 1);
    EXPECT_EQ(parsePercent("-100", "percent").value(), -10'000);
    EXPECT_EQ(parsePercent("1000", "percent").value(), 100'000);
    for (const char* bad :
         {"", "-", "+", "--5", "+-5", "0.001", "-100.01", "1000.01", "1e2", "ten", "5%", " 5"}) {
        const auto parsed = parsePercent(bad, "percent");
        ASSERT_FALSE(parsed.ok()) << bad;
        EXPECT_EQ(parsed.status().code(), sdk::StatusCode::InvalidArgument) << bad;
        EXPECT_NE(parsed.status().message().find("percent"), std::string::npos) << bad;
    }
}

TEST(MoneyTest, APriceAdjustedByAPercentIsRoundedToTheNearestMicroUsdHalvesUp) {
    EXPECT_EQ(adjustByPercent(2'000'000, 1'000).value(), 2'200'000);     // $2 + 10%
    EXPECT_EQ(adjustByPercent(15'000'000, -1'250).value(), 13'125'000);  // $15 - 12.5%
    EXPECT_EQ(adjustByPercent(5, 1'000).value(), 6);                     // 5.5 rounds up
    EXPECT_EQ(adjustByPercent(3, 1'000).value(), 3);                     // 3.3 rounds down
    EXPECT_EQ(adjustByPercent(7, -5'000).value(), 4);                    // 3.5 rounds up
    EXPECT_EQ(adjustByPercent(1, -5'001).value(), 0);                    // 0.4999 rounds down
    EXPECT_EQ(adjustByPercent(123'457, -10'000).value(), 0);
    EXPECT_EQ(adjustByPercent(0, 100'000).value(), 0);
    const std::int64_t largest = parseUsd("9000000000000.999999", "price").value();
    EXPECT_EQ(adjustByPercent(largest, 0).value(), largest);
    EXPECT_EQ(adjustByPercent(largest, 1).status().code(), sdk::StatusCode::InvalidArgument);
}

}  // namespace
}  // namespace sluice::core::billing
