#include "core/ops/json_schema.hpp"

#include <gtest/gtest.h>

#include "core/ops/schema.hpp"

namespace sluice::core::ops {
namespace {

using json = nlohmann::json;
namespace s = schema;

std::string violation(const json& schema, const json& value) {
    return schemaViolation(schema, value).value_or("");
}

TEST(JsonSchemaTest, ChecksEachTypeName) {
    const std::vector<std::pair<std::string, json>> samples{{"object", json::object()},
                                                            {"array", json::array()},
                                                            {"string", "x"},
                                                            {"integer", 3},
                                                            {"number", 2.5},
                                                            {"boolean", true},
                                                            {"null", nullptr}};
    for (const auto& [type, good] : samples) {
        EXPECT_EQ(violation({{"type", type}}, good), "") << type;
        for (const auto& [other, bad] : samples) {
            const bool also_fits = type == "number" && other == "integer";
            if (other != type && !also_fits) {
                EXPECT_NE(violation({{"type", type}}, bad), "")
                    << type << " accepted " << bad.dump();
            }
        }
    }
    EXPECT_EQ(violation({{"type", "integer"}}, 2.5), "value: must be an integer");
    EXPECT_EQ(violation({{"type", "string"}}, 1), "value: must be a string");
}

TEST(JsonSchemaTest, ATypeListAcceptsAnyOfItsTypes) {
    const json schema{{"type", {"object", "string"}}};
    EXPECT_EQ(violation(schema, "text"), "");
    EXPECT_EQ(violation(schema, json::object()), "");
    EXPECT_EQ(violation(schema, 4), "value: must be object or string");
}

TEST(JsonSchemaTest, RequiredMembersMustBePresent) {
    const json schema =
        s::params({{"pool", s::text("pool")}, {"name", s::text("name")}}, {"pool", "name"});
    EXPECT_EQ(violation(schema, {{"pool", "team"}, {"name", "ci"}}), "");
    EXPECT_EQ(violation(schema, {{"pool", "team"}}), "name: required");
}

TEST(JsonSchemaTest, ClosedObjectsRefuseUnknownMembersAndOpenOnesKeepThem) {
    const s::Members members{{"pool", s::text("pool")}};
    EXPECT_EQ(violation(s::params(members), {{"pool", "team"}, {"extra", 1}}),
              "extra: unknown parameter");
    EXPECT_EQ(violation(s::shape(members), {{"pool", "team"}, {"extra", 1}}), "");
}

TEST(JsonSchemaTest, AdditionalPropertiesCanBeASchema) {
    const json labels{{"type", "object"}, {"additionalProperties", s::text("label value", 4)}};
    EXPECT_EQ(violation(labels, {{"tier", "pro"}}), "");
    EXPECT_EQ(violation(labels, {{"tier", 3}}), "tier: must be a string");
    EXPECT_EQ(violation(labels, {{"tier", "premium"}}), "tier: must have at most 4 characters");
}

TEST(JsonSchemaTest, EnumAcceptsOnlyItsValues) {
    const json schema = s::oneOf("state", {"closed", "open"});
    EXPECT_EQ(violation(schema, "open"), "");
    EXPECT_EQ(violation(schema, "half"), R"(value: must be one of ["closed","open"])");
    EXPECT_EQ(violation(schema, 1), "value: must be a string");
}

TEST(JsonSchemaTest, NumbersStayWithinMinimumAndMaximum) {
    const json schema = s::integer("limit", 1, 500);
    EXPECT_EQ(violation(schema, 1), "");
    EXPECT_EQ(violation(schema, 500), "");
    EXPECT_EQ(violation(schema, 0), "value: must be at least 1");
    EXPECT_EQ(violation(schema, 501), "value: must be at most 500");
    EXPECT_EQ(violation(schema, -7), "value: must be at least 1");
    const json ratio{{"type", "number"}, {"minimum", 0}, {"maximum", 100}};
    EXPECT_EQ(violation(ratio, 99.5), "");
    EXPECT_EQ(violation(ratio, 100.5), "value: must be at most 100");
}

TEST(JsonSchemaTest, StringLengthsAreCountedInCharacters) {
    const json schema = s::text("name", 4);
    EXPECT_EQ(violation(schema, "abcd"), "");
    EXPECT_EQ(violation(schema, ""), "value: must not be empty");
    EXPECT_EQ(violation(schema, "abcde"), "value: must have at most 4 characters");
    // Four characters, twelve bytes in UTF-8.
    EXPECT_EQ(violation(schema, "\u00e9t\u00e9\U0001F600"), "");
    EXPECT_EQ(violation(schema, "\u00e9t\u00e9\U0001F600!"),
              "value: must have at most 4 characters");
    const json two{{"type", "string"}, {"minLength", 2}};
    EXPECT_EQ(violation(two, "a"), "value: must have at least 2 characters");
    EXPECT_EQ(violation(two, "\u00e9"), "value: must have at least 2 characters");
}

TEST(JsonSchemaTest, NullableAcceptsNullAndStillChecksTheValue) {
    const json time = s::nullable(s::text("cursor", 8));
    EXPECT_EQ(violation(time, nullptr), "");
    EXPECT_EQ(violation(time, "c1"), "");
    EXPECT_EQ(violation(time, 5), "value: must be string or null");
    EXPECT_EQ(violation(time, "123456789"), "value: must have at most 8 characters");
    const json state = s::nullable(s::oneOf("state", {"ok"}));
    EXPECT_EQ(violation(state, nullptr), "");
    EXPECT_NE(violation(state, "bad"), "");
}

TEST(JsonSchemaTest, ArraysCheckEveryItemAndTheirLength) {
    json schema = s::listOf(s::integer("n", 0, 9));
    schema["maxItems"] = 3;
    EXPECT_EQ(violation(schema, json::array({1, 2, 3})), "");
    EXPECT_EQ(violation(schema, json::array({1, 20})), "value[1]: must be at most 9");
    EXPECT_EQ(violation(schema, json::array({1, 2, 3, 4})), "value: must have at most 3 items");
    EXPECT_EQ(violation(schema, json::object()), "value: must be an array");
}

TEST(JsonSchemaTest, NamesTheFullPathOfANestedProblem) {
    const json schema =
        s::params({{"policy", s::params({{"models", s::listOf(s::text("model", 8))}})}});
    EXPECT_EQ(violation(schema, {{"policy", {{"models", {"ok", ""}}}}}),
              "policy.models[1]: must not be empty");
    EXPECT_EQ(violation(schema, {{"policy", {{"rate", 1}}}}), "policy.rate: unknown parameter");
}

}  // namespace
}  // namespace sluice::core::ops
