#include "sluice/sdk/json_limits.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sluice::sdk {
namespace {

std::string nested(int levels, char open = '[', char close = ']') {
    return std::string(static_cast<std::size_t>(levels), open) +
           std::string(static_cast<std::size_t>(levels), close);
}

TEST(JsonDepthWithin, AcceptsUpToTheLimitAndRefusesBeyond) {
    EXPECT_TRUE(jsonDepthWithin(nested(kMaxJsonDepth)));
    EXPECT_FALSE(jsonDepthWithin(nested(kMaxJsonDepth + 1)));
    EXPECT_TRUE(jsonDepthWithin(R"({"a":[{"b":[]}],"c":{}})", 4));
    EXPECT_FALSE(jsonDepthWithin(R"({"a":[{"b":[]}],"c":{}})", 3));
}

TEST(JsonDepthWithin, SkipsBracketsInsideStrings) {
    EXPECT_TRUE(jsonDepthWithin(R"({"text":"[[[[{{{{\"]]]"})", 1));
    EXPECT_TRUE(jsonDepthWithin(R"(["\\"])", 1));
}

TEST(JsonDepthWithin, RefusesACloseBeforeItsOpen) {
    // Closing first must not buy extra depth for what follows.
    EXPECT_FALSE(jsonDepthWithin("]]]]" + nested(4), 2));
}

}  // namespace
}  // namespace sluice::sdk
