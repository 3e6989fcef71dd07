#include "core/security/bounded_json.hpp"

#include <gtest/gtest.h>

#include <string>

#include "sluice/sdk/json_limits.hpp"

namespace sluice::core::security {
namespace {

std::string nestedObjects(int levels) {
    std::string text;
    for (int i = 0; i < levels; ++i) {
        text += "{\"a\":";
    }
    text += "1";
    return text + std::string(static_cast<std::size_t>(levels), '}');
}

TEST(BoundedJson, ParsesUpToTheLimitAndDiscardsBeyond) {
    const auto at_limit = parseJson(nestedObjects(sdk::kMaxJsonDepth));
    ASSERT_FALSE(at_limit.is_discarded());
    EXPECT_FALSE(at_limit.dump().empty());
    EXPECT_TRUE(parseJson(nestedObjects(sdk::kMaxJsonDepth + 1)).is_discarded());
    EXPECT_TRUE(parseJson(nestedObjects(100000)).is_discarded());
}

TEST(BoundedJson, DiscardsWhatIsNotJson) {
    EXPECT_TRUE(parseJson("{\"a\":").is_discarded());
    EXPECT_EQ(parseJson(R"({"a":[1,2]})")["a"][1], 2);
}

}  // namespace
}  // namespace sluice::core::security
