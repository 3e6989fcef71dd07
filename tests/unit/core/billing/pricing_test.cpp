#include "core/billing/pricing.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace sluice::core::billing {
namespace {

// The seed's regression prices: $2 per million input tokens, $15 per million output tokens.
sdk::RateCardRecord seedCard() {
    sdk::RateCardRecord card;
    card.model = "gpt-5.5";
    card.version = 1;
    card.input_per_million = 2'000'000;
    card.cached_input_per_million = 200'000;
    card.output_per_million = 15'000'000;
    return card;
}

TEST(PricingTest, AConversationPaysOnlyTheInputEachTurnAdds) {
    const auto card = seedCard();
    const PricedUsage first = priceUsage(card, 0, {1'000, 0, 200});
    const PricedUsage second = priceUsage(card, 1'000, {2'500, 1'000, 300});
    const PricedUsage third = priceUsage(card, 2'500, {4'000, 2'500, 400});
    EXPECT_EQ(first.input_tokens, 1'000u);
    EXPECT_EQ(second.input_tokens, 1'500u);
    EXPECT_EQ(third.input_tokens, 1'500u);
    EXPECT_EQ(second.cached_input_tokens, 0u);  // the cached prefix is the part already paid
    EXPECT_EQ(first.cost_micro_usd, 2'000 + 3'000);
    EXPECT_EQ(second.cost_micro_usd, 3'000 + 4'500);
    EXPECT_EQ(third.cost_micro_usd, 3'000 + 6'000);
}

TEST(PricingTest, AShrinkAfterCompactionPaysNoInputButAllOutput) {
    const PricedUsage priced = priceUsage(seedCard(), 4'000, {1'200, 0, 100});
    EXPECT_EQ(priced.input_tokens, 0u);
    EXPECT_EQ(priced.cached_input_tokens, 0u);
    EXPECT_EQ(priced.output_tokens, 100u);
    EXPECT_EQ(priced.cost_micro_usd, 1'500);
}

TEST(PricingTest, CachedInputBeyondTheBaselinePaysTheCachedRate) {
    // First turn of a conversation whose shared instructions were already cached upstream.
    const PricedUsage priced = priceUsage(seedCard(), 0, {10'000, 6'000, 0});
    EXPECT_EQ(priced.input_tokens, 4'000u);
    EXPECT_EQ(priced.cached_input_tokens, 6'000u);
    EXPECT_EQ(priced.cost_micro_usd, 8'000 + 1'200);
}

TEST(PricingTest, RoundsUpOnceToTheMicroDollarAndAddsThePerCallPrice) {
    sdk::RateCardRecord card = seedCard();
    card.per_call = 250;
    // 1 input token at $2/M is 2 micro-USD; 1 output token at $15/M is 15; 3 cached tokens at
    // $0.20/M are 0.6 micro-USD, which rounds up to 1.
    EXPECT_EQ(priceUsage(card, 0, {4, 3, 1}).cost_micro_usd, 2 + 15 + 1 + 250);
    EXPECT_EQ(priceUsage(card, 0, {0, 0, 0}).cost_micro_usd, 250);
}

TEST(PricingTest, HugeCountsStayExact) {
    sdk::RateCardRecord card = seedCard();
    card.output_per_million = 1'000'000'000;  // $1000 per million
    const std::uint64_t tokens = 1'000'000'000'007ULL;
    const PricedUsage priced = priceUsage(card, 0, {0, 0, tokens});
    // 1,000,000 millions × 10^9 + 7 × 10^9 / 10^6 = 10^15 + 7000
    EXPECT_EQ(priced.cost_micro_usd, 1'000'000'000'000'000LL + 7'000);
}

}  // namespace
}  // namespace sluice::core::billing
