#include "core/admission/model_policy.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sluice::core::admission {
namespace {

using json = nlohmann::json;

KeyPolicy policyOf(const std::string& text) {
    return parseKeyPolicy(text).value();
}

std::string body(const std::string& model, const json& extra = json::object()) {
    json document{{"model", model}, {"input", "hi"}};
    document.update(extra);
    return document.dump();
}

// The effort the fitted body asks for, or "" when it names none.
std::string effortOf(const ModelFit& fit, const std::string& original) {
    const json document = json::parse(fit.body.value_or(original));
    return document.contains("reasoning") ? document["reasoning"].value("effort", "") : "";
}

TEST(ModelPolicyTest, AllowsEverythingWithoutRules) {
    const ModelFit fit = fitModel(policyOf("{}"), "gpt-5.5", body("gpt-5.5"));
    EXPECT_FALSE(fit.refusal);
    EXPECT_FALSE(fit.body);
    EXPECT_EQ(fit.model, "gpt-5.5");
}

TEST(ModelPolicyTest, RefusesAModelOutsideTheAllowListWith403) {
    const ModelFit fit =
        fitModel(policyOf(R"({"allowed_models":["gpt-5.5-mini"]})"), "gpt-5.5", body("gpt-5.5"));
    ASSERT_TRUE(fit.refusal);
    EXPECT_EQ(fit.refusal->http_status, 403);
    EXPECT_EQ(fit.refusal->type, "permission_error");
    EXPECT_EQ(fit.refusal->code, "model_not_allowed");
    EXPECT_EQ(fit.refusal->param, "model");
    EXPECT_NE(fit.refusal->message.find("gpt-5.5"), std::string::npos);
}

TEST(ModelPolicyTest, AnEmptyAllowListRefusesEveryModel) {
    EXPECT_TRUE(fitModel(policyOf(R"({"allowed_models":[]})"), "gpt-5.5", body("gpt-5.5")).refusal);
}

TEST(ModelPolicyTest, PassesAnAllowedModelUnchanged) {
    const ModelFit fit =
        fitModel(policyOf(R"({"allowed_models":["gpt-5.5"]})"), "gpt-5.5", body("gpt-5.5"));
    EXPECT_FALSE(fit.refusal);
    EXPECT_FALSE(fit.body);
}

TEST(ModelPolicyTest, RewritesTheModelToTheEnforcedOne) {
    const std::string original = body("gpt-4o", {{"stream", true}});
    const ModelFit fit =
        fitModel(policyOf(R"({"enforced_model":"gpt-5.5-mini"})"), "gpt-4o", original);
    ASSERT_FALSE(fit.refusal);
    ASSERT_TRUE(fit.body);
    EXPECT_EQ(fit.model, "gpt-5.5-mini");
    const json rewritten = json::parse(*fit.body);
    EXPECT_EQ(rewritten["model"], "gpt-5.5-mini");
    EXPECT_EQ(rewritten["stream"], true);  // the rest of the body is kept
    EXPECT_EQ(rewritten["input"], "hi");
}

TEST(ModelPolicyTest, RefusesToEnforceAModelOnABodyItCannotRewrite) {
    const ModelFit fit =
        fitModel(policyOf(R"({"enforced_model":"gpt-5.5-mini"})"), "whisper", "--multipart--");
    ASSERT_TRUE(fit.refusal);
    EXPECT_EQ(fit.refusal->code, "model_not_allowed");
}

TEST(ModelPolicyTest, LowersAnEffortAboveTheCeiling) {
    const std::string original =
        body("gpt-5.5", {{"reasoning", {{"effort", "xhigh"}, {"summary", "auto"}}}});
    const ModelFit fit =
        fitModel(policyOf(R"({"max_reasoning_effort":"low"})"), "gpt-5.5", original);
    ASSERT_TRUE(fit.body);
    EXPECT_EQ(effortOf(fit, original), "low");
    EXPECT_EQ(json::parse(*fit.body)["reasoning"]["summary"], "auto");
}

TEST(ModelPolicyTest, KeepsAnEffortAtOrBelowTheCeiling) {
    for (const char* effort : {"none", "minimal", "low", "medium"}) {
        const std::string original = body("gpt-5.5", {{"reasoning", {{"effort", effort}}}});
        const ModelFit fit =
            fitModel(policyOf(R"({"max_reasoning_effort":"medium"})"), "gpt-5.5", original);
        EXPECT_FALSE(fit.body) << effort;
        EXPECT_EQ(effortOf(fit, original), effort);
    }
}

TEST(ModelPolicyTest, AddsTheCeilingWhenTheUpstreamDefaultIsAboveIt) {
    for (const json& extra : {json::object(), json{{"reasoning", {{"summary", "auto"}}}},
                              json{{"reasoning", nullptr}}}) {
        const std::string original = body("gpt-5.5", extra);
        const ModelFit fit =
            fitModel(policyOf(R"({"max_reasoning_effort":"minimal"})"), "gpt-5.5", original);
        ASSERT_TRUE(fit.body) << extra.dump();
        EXPECT_EQ(effortOf(fit, original), "minimal") << extra.dump();
    }
}

TEST(ModelPolicyTest, AddsNothingWhenTheUpstreamDefaultIsWithinTheCeiling) {
    const std::string original = body("gpt-5.5");
    const ModelFit fit =
        fitModel(policyOf(R"({"max_reasoning_effort":"high"})"), "gpt-5.5", original);
    EXPECT_FALSE(fit.body);
    EXPECT_EQ(effortOf(fit, original), "");
}

TEST(ModelPolicyTest, ReplacesAnUnknownEffortWithTheCeiling) {
    const std::string original = body("gpt-5.5", {{"reasoning", {{"effort", "ultra"}}}});
    const ModelFit fit =
        fitModel(policyOf(R"({"max_reasoning_effort":"high"})"), "gpt-5.5", original);
    EXPECT_EQ(effortOf(fit, original), "high");
}

TEST(ModelPolicyTest, EnforcesTheModelAndCapsTheEffortInOneRewrite) {
    const std::string original = body("gpt-4o", {{"reasoning", {{"effort", "high"}}}});
    const ModelFit fit = fitModel(
        policyOf(
            R"({"allowed_models":["gpt-5.5"],"enforced_model":"gpt-5.5","max_reasoning_effort":"low"})"),
        "gpt-4o", original);
    ASSERT_FALSE(fit.refusal);
    ASSERT_TRUE(fit.body);
    const json rewritten = json::parse(*fit.body);
    EXPECT_EQ(rewritten["model"], "gpt-5.5");
    EXPECT_EQ(rewritten["reasoning"]["effort"], "low");
}

}  // namespace
}  // namespace sluice::core::admission
