#include "token_estimate.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_anthropic {
namespace {

using json = nlohmann::json;

TEST(TokenEstimateTest, CommonWordsCostOneTokenWithTheirSpace) {
    EXPECT_EQ(estimateTextTokens(""), 0u);
    EXPECT_EQ(estimateTextTokens("Hello"), 1u);
    EXPECT_EQ(estimateTextTokens("Hello world"), 2u);
    EXPECT_EQ(estimateTextTokens("The quick brown fox jumps over the lazy dog."), 10u);
}

TEST(TokenEstimateTest, DigitsGoInThreesAndLongWordsSplit) {
    EXPECT_EQ(estimateTextTokens("1234567"), 3u);
    EXPECT_EQ(estimateTextTokens("internationalization"), 3u);
    EXPECT_EQ(estimateTextTokens("a\nb"), 3u);
}

TEST(TokenEstimateTest, NonAsciiTextCostsAboutATokenPerCharacter) {
    // Six CJK characters, three bytes each.
    EXPECT_EQ(estimateTextTokens(
                  "\xe4\xbd\xa0\xe5\xa5\xbd\xe4\xb8\x96\xe7\x95\x8c\xe4\xbd\xa0\xe5\xa5\xbd"),
              7u);
}

TEST(TokenEstimateTest, ABodyCountsItsTextImagesAndFramingNotItsKeys) {
    const json text_only{
        {"input",
         json::array(
             {{{"type", "message"},
               {"role", "user"},
               {"content", json::array({{{"type", "input_text"}, {"text", "Hello world"}}})}}})}};
    EXPECT_EQ(estimateInputTokens(text_only), 4u + 4u + 2u);
    json with_image = text_only;
    with_image["input"][0]["content"].push_back(
        {{"type", "input_image"}, {"image_url", "data:image/png;base64,AAAA"}});
    EXPECT_EQ(estimateInputTokens(with_image), estimateInputTokens(text_only) + 4u + 1600u);
    EXPECT_EQ(estimateInputTokens(json::object()), 0u);
}

}  // namespace
}  // namespace sluice::plugins::route_anthropic
