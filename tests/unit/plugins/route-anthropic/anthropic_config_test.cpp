#include "anthropic_config.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_anthropic {
namespace {

TEST(ModelMapTest, TheLongestMatchingPrefixWinsElseTheDefault) {
    const ModelMap models(
        {{"claude", "gpt-5.4"}, {"claude-opus", "gpt-5.5"}, {"claude-haiku", "gpt-5.4-mini"}},
        "gpt-5.5-default");
    EXPECT_EQ(models.resolve("claude-opus-4-1-20250805"), "gpt-5.5");
    EXPECT_EQ(models.resolve("claude-haiku-4-5"), "gpt-5.4-mini");
    EXPECT_EQ(models.resolve("claude-sonnet-4-5"), "gpt-5.4");
    EXPECT_EQ(models.resolve("gpt-5.5"), "gpt-5.5-default");
    EXPECT_EQ(models.resolve(""), "gpt-5.5-default");
}

TEST(ModelMapTest, WithoutRulesEveryIdRunsOnTheDefault) {
    const ModelMap models({}, "gpt-5.5");
    EXPECT_EQ(models.resolve("claude-opus-4-1"), "gpt-5.5");
}

}  // namespace
}  // namespace sluice::plugins::route_anthropic
