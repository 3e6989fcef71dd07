#include "core/upstream/json_scan.hpp"

#include <gtest/gtest.h>

namespace sluice::core::upstream {
namespace {

TEST(JsonScanTest, FindsTopLevelStringMembers) {
    EXPECT_EQ(topLevelString(R"({"a":1,"type":"x"})", "type"), "x");
    EXPECT_EQ(topLevelString(R"(  { "type" : "spaced" } )", "type"), "spaced");
    EXPECT_EQ(topLevelString(R"({"s":"has \"type\":\"fake\"","type":"real"})", "type"), "real");
}

TEST(JsonScanTest, IgnoresNestedMembersAndNonStrings) {
    EXPECT_FALSE(topLevelString(R"({"inner":{"type":"nested"}})", "type"));
    EXPECT_FALSE(topLevelString(R"({"type":3})", "type"));
    EXPECT_FALSE(topLevelString(R"([{"type":"x"}])", "type"));
    EXPECT_FALSE(topLevelString("not json", "type"));
    EXPECT_FALSE(topLevelString(R"({"type":"unterminated)", "type"));
}

}  // namespace
}  // namespace sluice::core::upstream
