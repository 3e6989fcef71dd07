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

TEST(JsonScanTest, FindsTopLevelValuesOfEveryKind) {
    const std::string_view json =
        R"({"o":{"a":[1,"]"]},"l":[{"b":"}"}],"s":"x\"y","n":-1.5e3,"t":true})";
    EXPECT_EQ(topLevelValue(json, "o"), R"({"a":[1,"]"]})");
    EXPECT_EQ(topLevelValue(json, "l"), R"([{"b":"}"}])");
    EXPECT_EQ(topLevelValue(json, "s"), R"("x\"y")");
    EXPECT_EQ(topLevelValue(json, "n"), "-1.5e3");
    EXPECT_EQ(topLevelValue(json, "t"), "true");
    EXPECT_FALSE(topLevelValue(json, "a")) << "nested only";
    EXPECT_FALSE(topLevelValue(R"({"o":{"a":1)", "o")) << "never closes";
}

TEST(JsonScanTest, AFramedObjectClosesOnceWithOnlyWhitespaceAfter) {
    EXPECT_TRUE(isFramedObject(R"( {"a":"}","b":[{}]} )"));
    EXPECT_TRUE(isFramedObject("{}\n"));
    EXPECT_FALSE(isFramedObject(""));
    EXPECT_FALSE(isFramedObject(R"({"a":1)"));
    EXPECT_FALSE(isFramedObject(R"({"a":"})"));
    EXPECT_FALSE(isFramedObject(R"({"a":1} {"b":2})"));
    EXPECT_FALSE(isFramedObject(R"([{"a":1}])"));
}

}  // namespace
}  // namespace sluice::core::upstream
