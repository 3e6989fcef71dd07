#include "core/admission/key_policy.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sluice::core::admission {
namespace {

// The error of a policy that must be refused; fails the test when it parses.
std::string refusal(const std::string& json) {
    const auto parsed = parseKeyPolicy(json);
    EXPECT_FALSE(parsed.ok()) << json;
    if (parsed.ok()) {
        return {};
    }
    EXPECT_EQ(parsed.status().code(), sdk::StatusCode::InvalidArgument) << json;
    return parsed.status().message();
}

TEST(KeyPolicyTest, ParsesEveryFieldAndWritesItBack) {
    const std::string json =
        R"({"allowed_models":["gpt-5.5","gpt-5.5-mini"],"enforced_model":"gpt-5.5","max_reasoning_effort":"low",)"
        R"("requests_per_minute":30,"tokens_per_day":100000,"tokens_per_week":500000,)"
        R"("max_tokens_per_request":8000,"max_concurrent_streams":2})";
    const auto parsed = parseKeyPolicy(json);
    ASSERT_TRUE(parsed.ok()) << parsed.status().message();
    const KeyPolicy& policy = parsed.value();
    EXPECT_EQ(*policy.allowed_models, (std::vector<std::string>{"gpt-5.5", "gpt-5.5-mini"}));
    EXPECT_EQ(*policy.enforced_model, "gpt-5.5");
    EXPECT_EQ(*policy.max_reasoning_effort, "low");
    EXPECT_EQ(*policy.requests_per_minute, 30U);
    EXPECT_EQ(*policy.tokens_per_day, 100000U);
    EXPECT_EQ(*policy.tokens_per_week, 500000U);
    EXPECT_EQ(*policy.max_tokens_per_request, 8000U);
    EXPECT_EQ(*policy.max_concurrent_streams, 2U);
    EXPECT_TRUE(policy.limitsTokens());
    EXPECT_TRUE(policy.limitsModels());

    const auto again = parseKeyPolicy(keyPolicyJson(policy));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(keyPolicyJson(again.value()), keyPolicyJson(policy));
}

TEST(KeyPolicyTest, EmptyAndNullFieldsMeanNoLimits) {
    for (const char* json : {"", "{}", R"({"tokens_per_day":null,"allowed_models":null})"}) {
        const auto parsed = parseKeyPolicy(json);
        ASSERT_TRUE(parsed.ok()) << json;
        EXPECT_FALSE(parsed->limitsTokens());
        EXPECT_FALSE(parsed->limitsModels());
        EXPECT_EQ(keyPolicyJson(parsed.value()), "{}");
    }
}

TEST(KeyPolicyTest, AnEmptyAllowListIsKeptAsNoModelAtAll) {
    const auto parsed = parseKeyPolicy(R"({"allowed_models":[]})");
    ASSERT_TRUE(parsed.ok());
    ASSERT_TRUE(parsed->allowed_models.has_value());
    EXPECT_TRUE(parsed->allowed_models->empty());
}

TEST(KeyPolicyTest, RefusesWhatIsNotAnObject) {
    EXPECT_EQ(refusal("[1]"), "policy must be a JSON object");
    EXPECT_EQ(refusal("{not json"), "policy must be a JSON object");
}

TEST(KeyPolicyTest, NamesAnUnknownField) {
    EXPECT_EQ(refusal(R"({"tokens_per_month":5})"), "policy.tokens_per_month: unknown field");
}

TEST(KeyPolicyTest, EachBadModelFieldGetsItsOwnError) {
    EXPECT_EQ(refusal(R"({"allowed_models":"gpt-5.5"})"),
              "policy.allowed_models: must be a list of model names");
    EXPECT_EQ(refusal(R"({"allowed_models":["gpt-5.5",""]})"),
              "policy.allowed_models: must be a list of model names");
    EXPECT_EQ(refusal(R"({"allowed_models":[7]})"),
              "policy.allowed_models: must be a list of model names");
    EXPECT_EQ(refusal(R"({"enforced_model":""})"), "policy.enforced_model: must be a model name");
    EXPECT_EQ(refusal(R"({"enforced_model":3})"), "policy.enforced_model: must be a model name");
    EXPECT_EQ(refusal(R"({"max_reasoning_effort":"extreme"})"),
              "policy.max_reasoning_effort: one of none, minimal, low, medium, high, xhigh");
}

TEST(KeyPolicyTest, EachCountMustBeAPositiveIntegerThatFits) {
    for (const char* field : {"requests_per_minute", "tokens_per_day", "tokens_per_week",
                              "max_tokens_per_request", "max_concurrent_streams"}) {
        const std::string expected =
            std::string("policy.") + field + ": must be a positive integer";
        for (const char* value : {"0", "-3", "2.5", "\"10\"", "true"}) {
            EXPECT_EQ(refusal(std::string("{\"") + field + "\":" + value + "}"), expected) << value;
        }
    }
    // 32-bit counts refuse what does not fit; token budgets are 64-bit.
    EXPECT_EQ(refusal(R"({"requests_per_minute":4294967296})"),
              "policy.requests_per_minute: must be a positive integer");
    EXPECT_EQ(refusal(R"({"max_concurrent_streams":4294967296})"),
              "policy.max_concurrent_streams: must be a positive integer");
    EXPECT_TRUE(parseKeyPolicy(R"({"tokens_per_day":4294967296})").ok());
}

TEST(KeyPolicyTest, EnforcedModelMustBeInTheAllowList) {
    EXPECT_EQ(refusal(R"({"allowed_models":["gpt-5.5-mini"],"enforced_model":"gpt-5.5"})"),
              "policy.enforced_model: is not in allowed_models");
    EXPECT_TRUE(
        parseKeyPolicy(R"({"allowed_models":["gpt-5.5"],"enforced_model":"gpt-5.5"})").ok());
    EXPECT_TRUE(parseKeyPolicy(R"({"enforced_model":"gpt-5.5"})").ok());
}

TEST(KeyPolicyTest, ABudgetSmallerThanOneReservationCouldNeverAdmitAnything) {
    EXPECT_EQ(refusal(R"({"tokens_per_day":1000})"),
              "policy.tokens_per_day: must be at least the 16384 tokens a request reserves "
              "(max_tokens_per_request, 16384 when unset)");
    EXPECT_EQ(refusal(R"({"tokens_per_week":1000,"max_tokens_per_request":2000})"),
              "policy.tokens_per_week: must be at least the 2000 tokens a request reserves "
              "(max_tokens_per_request, 16384 when unset)");
    EXPECT_TRUE(parseKeyPolicy(R"({"tokens_per_day":1000,"max_tokens_per_request":1000})").ok());
}

TEST(KeyPolicyTest, ReservationIsThePerRequestCapOrTheDefault) {
    EXPECT_EQ(parseKeyPolicy("{}")->reservation(), KeyPolicy::kDefaultReservation);
    EXPECT_EQ(parseKeyPolicy(R"({"max_tokens_per_request":1200})")->reservation(), 1200U);
}

TEST(KeyPolicyTest, RanksEffortsFromNoneToXhigh) {
    EXPECT_EQ(effortRank("none"), 0);
    EXPECT_EQ(effortRank("minimal"), 1);
    EXPECT_EQ(effortRank("low"), 2);
    EXPECT_EQ(effortRank("medium"), 3);
    EXPECT_EQ(effortRank("high"), 4);
    EXPECT_EQ(effortRank("xhigh"), 5);
    EXPECT_FALSE(effortRank("ultra").has_value());
    EXPECT_FALSE(effortRank("").has_value());
}

}  // namespace
}  // namespace sluice::core::admission
