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

}  // namespace
}  // namespace sluice::core::billing
