#include "core/dispatch/failover_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "core/dispatch/attempt_result.hpp"
#include "core/dispatch/dispatch_metrics.hpp"

namespace sluice::core::dispatch {
namespace {

struct AnswerCase {
    int status;
    std::string_view code;
    Failure expected;
};

TEST(FailoverRulesTest, ClassifiesUpstreamErrorAnswers) {
    const AnswerCase cases[] = {
        {429, "usage_limit_reached", Failure::UsageLimit},
        {429, "rate_limit_exceeded", Failure::RateLimited},
        {429, "", Failure::RateLimited},
        {503, "", Failure::Unavailable},
        {500, "", Failure::ServerError},
        {502, "model_not_found", Failure::ServerError},
        {401, "", Failure::Unauthorized},
        {403, "", Failure::Forbidden},
        {400, "model_not_found", Failure::ModelUnavailable},
        {404, "model_unavailable", Failure::ModelUnavailable},
        {400, "model_unavailable", Failure::ClientError},
        {404, "", Failure::ClientError},
        {409, "conflict", Failure::ClientError},
    };
    for (const AnswerCase& c : cases) {
        EXPECT_EQ(classifyAnswer(c.status, c.code), c.expected) << c.status << " " << c.code;
    }
}

TEST(FailoverRulesTest, ClassifiesFailedUpgrades) {
    EXPECT_EQ(classifyUpgrade(0), Failure::NetworkError);
    EXPECT_EQ(classifyUpgrade(426), Failure::UpgradeRefused);
    EXPECT_EQ(classifyUpgrade(200), Failure::UpgradeRefused);
    EXPECT_EQ(classifyUpgrade(429), Failure::RateLimited);
    EXPECT_EQ(classifyUpgrade(503), Failure::Unavailable);
    EXPECT_EQ(classifyUpgrade(400), Failure::ClientError);
    EXPECT_EQ(classifyUpgrade(302), Failure::NetworkError);
}

/// What each row must mean, spelled out independently of the table.
struct RowSpec {
    Failure failure;
    AttemptEnd holding_end;  ///< before the commit, failover allowed
    std::string_view reason;
    bool circuit;  ///< reached_upstream: the circuit judges the attempt
    bool fault;
    sdk::OutcomeKind outcome;
    std::string_view client_code;
    bool renews_token;
};

constexpr AttemptEnd kOver = AttemptEnd::Failover;
constexpr AttemptEnd kPass = AttemptEnd::PassThrough;
using K = sdk::OutcomeKind;

// clang-format off
const RowSpec kSpecs[] = {
    {Failure::UsageLimit, kOver, "usage_limit_reached", true, true, K::QuotaExhausted, "upstream_failed", false},
    {Failure::RateLimited, kOver, "upstream_429", true, true, K::RateLimited, "upstream_failed", false},
    {Failure::Unavailable, kOver, "upstream_5xx", true, true, K::ServerError, "upstream_failed", false},
    {Failure::ServerError, kOver, "upstream_5xx", true, true, K::ServerError, "upstream_failed", false},
    {Failure::Unauthorized, kOver, "upstream_401", false, false, K::Rejected, "upstream_failed", true},
    {Failure::Forbidden, kOver, "upstream_unauthorized", true, true, K::ServerError, "upstream_failed", false},
    {Failure::ModelUnavailable, kOver, "model_unavailable", true, true, K::ServerError, "upstream_failed", false},
    {Failure::ClientError, kPass, "upstream_418", true, false, K::Rejected, "upstream_failed", false},
    {Failure::NetworkError, kOver, "network_error", true, true, K::NetworkError, "upstream_failed", false},
    {Failure::HeadTimeout, kOver, "upstream_timeout", true, true, K::NetworkError, "upstream_timeout", false},
    {Failure::NoTimeLeft, kOver, "upstream_timeout", false, false, K::NetworkError, "upstream_timeout", false},
    {Failure::SilentBeforeOutput, kOver, "upstream_timeout", true, true, K::NetworkError, "upstream_timeout", false},
    {Failure::CutBeforeOutput, kOver, "stream_cut_before_output", true, true, K::ServerError, "upstream_failed", false},
    {Failure::FirstEventFailed, kOver, "first_event_failed", true, true, K::ServerError, "upstream_failed", false},
    {Failure::EventTooLarge, kOver, "event_too_large", true, false, K::Rejected, "upstream_failed", false},
    {Failure::UpgradeRefused, kOver, "upgrade_refused", false, false, K::Rejected, "websocket_unavailable", false},
    {Failure::Shutdown, kPass, "server_shutdown", false, false, K::Rejected, "server_shutting_down", false},
    {Failure::CutAfterOutput, kPass, "stream_cut", true, true, K::ServerError, "upstream_stream_interrupted", false},
    {Failure::SilentAfterOutput, kPass, "upstream_timeout", true, true, K::NetworkError, "upstream_stream_interrupted", false},
    {Failure::NetworkErrorAfterOutput, kPass, "network_error", true, true, K::NetworkError, "upstream_stream_interrupted", false},
    {Failure::EventTooLargeAfterOutput, kPass, "event_too_large", true, false, K::Rejected, "upstream_stream_interrupted", false},
    {Failure::TurnUsageLimit, kPass, "usage_limit_reached", false, false, K::QuotaExhausted, "upstream_failed", false},
    {Failure::TurnFailed, kPass, "turn_failed", false, false, K::ServerError, "upstream_failed", false},
};
// clang-format on

TEST(FailoverRulesTest, EveryRowMeansWhatItsSpecSays) {
    ASSERT_EQ(std::size(kSpecs), kFailureRules.size());
    for (const RowSpec& spec : kSpecs) {
        SCOPED_TRACE(std::string(spec.reason));
        AttemptResult holding;
        holding.upstream.status = 418;
        holding.fail(spec.failure, true, false);
        EXPECT_EQ(holding.end, spec.holding_end);
        EXPECT_EQ(holding.reason, spec.reason);
        EXPECT_EQ(holding.reached_upstream, spec.circuit);
        EXPECT_EQ(holding.account_fault, spec.fault);
        EXPECT_EQ(holding.failure, spec.failure);
        const FailureRule& rule = ruleFor(spec.failure);
        EXPECT_EQ(rule.outcome, spec.outcome);
        EXPECT_EQ(rule.client_code, spec.client_code);
        EXPECT_EQ(rule.renews_token, spec.renews_token);

        // A request that may not fail over sees the failure as is; a committed one is cut.
        AttemptResult pinned;
        pinned.fail(spec.failure, false, false);
        EXPECT_EQ(pinned.end, AttemptEnd::PassThrough);
        AttemptResult committed;
        committed.fail(spec.failure, true, true);
        EXPECT_EQ(committed.end, AttemptEnd::Interrupted);
    }
}

TEST(FailoverRulesTest, OnlyQuotaAndOverloadAnswersCarryARetryAfter) {
    for (const FailureRule& rule : kFailureRules) {
        const bool expected = rule.failure == Failure::UsageLimit ||
                              rule.failure == Failure::RateLimited ||
                              rule.failure == Failure::Unavailable;
        EXPECT_EQ(rule.retry_after, expected) << rule.reason;
    }
}

TEST(FailoverRulesTest, EveryRowCountsUnderAKnownMetricClass) {
    for (const FailureRule& rule : kFailureRules) {
        const auto& classes = DispatchMetrics::kReasonClasses;
        EXPECT_NE(std::find(classes.begin(), classes.end(), rule.metric), classes.end())
            << rule.metric;
    }
    EXPECT_EQ(ruleFor(Failure::Unauthorized).metric, "unauthorized");
    EXPECT_EQ(ruleFor(Failure::CutBeforeOutput).metric, "stream_cut");
}

TEST(FailoverRulesTest, AFirstEventFailureKeepsItsCode) {
    AttemptResult result;
    result.fail(Failure::FirstEventFailed, true, false, "server_is_overloaded");
    EXPECT_EQ(result.reason, "first_event_failed:server_is_overloaded");
    EXPECT_TRUE(isRetryableFirstEvent("server_is_overloaded"));
    EXPECT_TRUE(isRetryableFirstEvent("usage_limit_reached"));
    EXPECT_FALSE(isRetryableFirstEvent("invalid_prompt"));
    EXPECT_FALSE(isRetryableFirstEvent(""));
}

TEST(FailoverRulesTest, ReadsTheErrorCodeWhereverTheUpstreamPutIt) {
    EXPECT_EQ(errorCodeOf(R"({"error":{"code":"usage_limit_reached"}})"), "usage_limit_reached");
    EXPECT_EQ(errorCodeOf(R"({"error":{"type":"server_error"}})"), "server_error");
    EXPECT_EQ(errorCodeOf(R"({"response":{"error":{"code":"slow_down"}}})"), "slow_down");
    EXPECT_EQ(errorCodeOf(R"({"type":"error","code":"internal_error"})"), "internal_error");
    EXPECT_EQ(errorCodeOf("not json"), "");
    EXPECT_EQ(errorCodeOf("[1]"), "");
}

}  // namespace
}  // namespace sluice::core::dispatch
