#include "anthropic_errors.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_anthropic {
namespace {

AnthropicError render(int status, std::int64_t retry_after = 0) {
    return toAnthropic({status, "whatever", "code", "the message", "", retry_after, ""});
}

TEST(AnthropicErrorsTest, StatusesMapToAnthropicsTypes) {
    struct Row {
        int gateway;
        int status;
        const char* type;
    };
    const Row rows[] = {{400, 400, "invalid_request_error"},
                        {401, 401, "authentication_error"},
                        {402, 402, "billing_error"},  // an empty wallet (insufficient_quota)
                        {403, 403, "permission_error"},
                        {404, 404, "not_found_error"},
                        {405, 405, "invalid_request_error"},
                        {409, 409, "invalid_request_error"},
                        {413, 413, "request_too_large"},
                        {429, 429, "rate_limit_error"},
                        {500, 500, "api_error"},
                        {502, 500, "api_error"},
                        {503, 529, "overloaded_error"},
                        {504, 500, "api_error"}};
    for (const Row& row : rows) {
        const AnthropicError error = render(row.gateway);
        EXPECT_EQ(error.status, row.status) << row.gateway;
        EXPECT_EQ(error.type, row.type) << row.gateway;
        EXPECT_EQ(error.message, "the message");
    }
}

TEST(AnthropicErrorsTest, TheEnvelopeIsAnthropicsAndKeepsRetryAfter) {
    const AnthropicError error = render(429, 30);
    EXPECT_EQ(error.retry_after_seconds, 30);
    EXPECT_EQ(
        errorBody(error),
        nlohmann::json::parse(
            R"({"type":"error","error":{"type":"rate_limit_error","message":"the message"}})"));
}

TEST(AnthropicErrorsTest, UpstreamAnswersAreReducedToAClassAndASafeCode) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error.retry_after_seconds = 120;
    outcome.upstream.status = 429;
    outcome.upstream.body = R"({"error":{"type":"usage_limit_reached","message":"private words"}})";
    sdk::ErrorInfo error = rejectedDispatch(outcome);
    EXPECT_EQ(error.http_status, 429);
    EXPECT_EQ(error.retry_after_seconds, 120);
    EXPECT_EQ(error.message.find("private"), std::string::npos);
    EXPECT_NE(error.message.find("usage_limit_reached"), std::string::npos);

    outcome.upstream.status = 401;
    outcome.upstream.body = R"({"detail":{"code":"token_expired"}})";
    error = rejectedDispatch(outcome);
    EXPECT_EQ(toAnthropic(error).type, "api_error") << "an account's 401 is not the client's";

    outcome.upstream.status = 400;
    outcome.upstream.body = R"({"error":{"code":"Not A Code!"}})";
    error = rejectedDispatch(outcome);
    EXPECT_EQ(toAnthropic(error).type, "invalid_request_error");
    EXPECT_EQ(error.message.find("Not A Code"), std::string::npos);
}

TEST(AnthropicErrorsTest, TheGatewaysOwnVerdictPassesAsItIs) {
    sdk::DispatchOutcome outcome;
    outcome.status = sdk::DispatchStatus::Rejected;
    outcome.error = {
        429, "rate_limit_error", "policy_rate_limited", "the key's policy refused", "", 7, ""};
    const AnthropicError rendered = toAnthropic(rejectedDispatch(outcome));
    EXPECT_EQ(rendered.status, 429);
    EXPECT_EQ(rendered.type, "rate_limit_error");
    EXPECT_EQ(rendered.retry_after_seconds, 7);
    EXPECT_EQ(rendered.message, "the key's policy refused");
}

TEST(AnthropicErrorsTest, FailureEventsKeepOnlyPlainCodes) {
    EXPECT_EQ(failedResponse("context_length_exceeded").http_status, 400);
    EXPECT_EQ(failedResponse("usage_limit_reached").http_status, 429);
    const sdk::ErrorInfo odd = failedResponse("<script>");
    EXPECT_EQ(odd.code, "upstream_error");
    EXPECT_EQ(toAnthropic(odd).type, "api_error");
}

}  // namespace
}  // namespace sluice::plugins::route_anthropic
