#include "openai_errors.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_openai {
namespace {

sdk::DispatchOutcome upstreamAnswer(int status, std::string body) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error = {
        status, "server_error", "upstream_failed", "every account tried failed; last: x", "", 7,
        ""};
    outcome.upstream.status = status;
    outcome.upstream.body = std::move(body);
    return outcome;
}

TEST(RedactedFailure, KeepsTheGatewaysOwnErrors) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error = {
        503, "server_error", "no_eligible_account", "no account can serve this", "", 30, ""};
    const sdk::ErrorInfo error = redactedFailure(outcome);
    EXPECT_EQ(error.http_status, 503);
    EXPECT_EQ(error.code, "no_eligible_account");
    EXPECT_EQ(error.retry_after_seconds, 30);
}

TEST(RedactedFailure, NeverCarriesTheUpstreamMessage) {
    const auto limited = redactedFailure(upstreamAnswer(
        429,
        R"({"error":{"type":"usage_limit_reached","message":"Secret plan details","plan_type":"plus"}})"));
    EXPECT_EQ(limited.http_status, 429);
    EXPECT_EQ(limited.type, "rate_limit_error");
    EXPECT_EQ(limited.code, "usage_limit_reached");
    EXPECT_EQ(limited.message, "upstream request failed");
    EXPECT_EQ(limited.retry_after_seconds, 7);

    const auto rejected = redactedFailure(
        upstreamAnswer(400, R"({"error":{"code":"invalid_prompt","message":"x"}})"));
    EXPECT_EQ(rejected.http_status, 400);
    EXPECT_EQ(rejected.type, "invalid_request_error");
    EXPECT_EQ(rejected.code, "invalid_prompt");

    const auto hostile =
        redactedFailure(upstreamAnswer(500, R"({"error":{"code":"<script>leak</script>"}})"));
    EXPECT_EQ(hostile.http_status, 502);
    EXPECT_EQ(hostile.code, "upstream_error") << "only plain identifiers pass";
    EXPECT_EQ(hostile.message, "upstream request failed");

    const auto garbage =
        redactedFailure(upstreamAnswer(503, "<html>proxy error at 10.0.0.3</html>"));
    EXPECT_EQ(garbage.http_status, 502);
    EXPECT_EQ(garbage.code, "upstream_error");
}

TEST(RedactedFailure, AccountProblemsAreTheGatewaysNotTheClients) {
    for (const int status : {401, 403, 404}) {
        const auto error =
            redactedFailure(upstreamAnswer(status, R"({"error":{"code":"token_expired"}})"));
        EXPECT_EQ(error.http_status, 502) << status;
        EXPECT_EQ(error.type, "server_error");
    }
}

TEST(FailureFromEvent, MapsKnownCodesToTheirClass) {
    EXPECT_EQ(failureFromEvent("context_length_exceeded").http_status, 400);
    EXPECT_EQ(failureFromEvent("usage_limit_reached").http_status, 429);
    EXPECT_EQ(failureFromEvent("server_is_overloaded").http_status, 502);
    EXPECT_EQ(failureFromEvent("server_is_overloaded").code, "server_is_overloaded");
    EXPECT_EQ(failureFromEvent("Bad Code!").code, "upstream_error");
    EXPECT_EQ(failureFromEvent("").code, "upstream_error");
}

TEST(OpenAiErrors, UnsupportedEndpointIsTheDocumentedEnvelope) {
    const sdk::ErrorInfo error = unsupportedEndpoint();
    EXPECT_EQ(error.http_status, 404);
    EXPECT_EQ(error.type, "invalid_request_error");
    EXPECT_EQ(error.code, "unsupported_endpoint");
    EXPECT_EQ(error.message, "Unsupported OpenAI /v1 endpoint");
    EXPECT_TRUE(error.param.empty());
    const sdk::ErrorInfo parameter = unsupportedParameter("seed");
    EXPECT_EQ(parameter.code, "unsupported_parameter");
    EXPECT_EQ(parameter.param, "seed");
    EXPECT_NE(parameter.message.find("'seed'"), std::string::npos);
}

}  // namespace
}  // namespace sluice::plugins::route_openai
