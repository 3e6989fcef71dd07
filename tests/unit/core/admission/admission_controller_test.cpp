#include "core/admission/admission_controller.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "core/accounting/utc_time.hpp"
#include "sluice/sdk/testing/fake_host.hpp"
#include "tests/unit/core/admission/fake_usage_repository.hpp"

namespace sluice::core::admission {
namespace {

using namespace std::chrono_literals;

constexpr std::int64_t kDay = 86'400;

class AdmissionControllerTest : public ::testing::Test {
protected:
    sdk::Principal key(const std::string& policy_json = "{}") const {
        return {sdk::CredentialKind::PoolKey, "sk-sluice-k1", "it", "team", policy_json};
    }

    KeyPolicy policy(const std::string& json) const { return parseKeyPolicy(json).value(); }

    std::variant<AdmissionTicket, sdk::ErrorInfo> admit(const KeyPolicy& policy,
                                                        AdmissionRequest request = {}) {
        return controller_.admit(key(), policy, request);
    }

    std::uint64_t rejections(const std::string& limit) const {
        return host_.counterValue("sluice_admission_rejections_total", {{"limit", limit}});
    }

    // Seconds from the fake clock's "now" to the start of the UTC day `days_ahead` from today.
    std::int64_t secondsUntil(std::int64_t days_ahead) {
        const auto now = host_.clock().now();
        return accounting::secondsUntilDay(accounting::utcDay(now) + days_ahead, now);
    }

    void advance(std::chrono::milliseconds delta) { host_.fakeClock().advance(delta); }

    sdk::testing::FakeHost host_;
    testing::FakeUsageRepository usage_;
    AdmissionController controller_{usage_, host_.clock(), host_.metrics()};
};

AdmissionTicket admitted(std::variant<AdmissionTicket, sdk::ErrorInfo> outcome) {
    if (auto* refusal = std::get_if<sdk::ErrorInfo>(&outcome)) {
        ADD_FAILURE() << "refused: " << refusal->message;
        return {};
    }
    return std::get<AdmissionTicket>(std::move(outcome));
}

sdk::ErrorInfo refused(const std::variant<AdmissionTicket, sdk::ErrorInfo>& outcome) {
    const auto* refusal = std::get_if<sdk::ErrorInfo>(&outcome);
    if (refusal == nullptr) {
        ADD_FAILURE() << "admitted";
        return {};
    }
    return *refusal;
}

sdk::TokenUsage used(std::uint64_t input, std::uint64_t output) {
    sdk::TokenUsage usage;
    usage.input_tokens = input;
    usage.output_tokens = output;
    usage.total_tokens = input + output;
    return usage;
}

TEST_F(AdmissionControllerTest, RefusesOverTheRequestRateUntilTheOldestRequestLeavesTheMinute) {
    const KeyPolicy limits = policy(R"({"requests_per_minute":2})");
    admitted(admit(limits));
    advance(20s);
    admitted(admit(limits));
    advance(10s);
    const sdk::ErrorInfo error = refused(admit(limits));
    EXPECT_EQ(error.http_status, 429);
    EXPECT_EQ(error.type, "requests_per_minute");
    EXPECT_EQ(error.code, "rate_limit_exceeded");
    EXPECT_EQ(error.retry_after_seconds, 30);  // the first request leaves the window in 30 s
    EXPECT_EQ(rejections("requests_per_minute"), 1U);
    EXPECT_EQ(controller_.load(key().id).requests_last_minute, 2U);

    advance(29s);
    EXPECT_EQ(refused(admit(limits)).retry_after_seconds, 1);
    advance(1s);
    admitted(admit(limits));
}

TEST_F(AdmissionControllerTest, RefusedRequestsDoNotUseTheRate) {
    const KeyPolicy limits = policy(R"({"requests_per_minute":1})");
    admitted(admit(limits));
    for (int i = 0; i < 3; ++i) {
        refused(admit(limits));
    }
    advance(60s);
    admitted(admit(limits));
    EXPECT_EQ(rejections("requests_per_minute"), 3U);
}

TEST_F(AdmissionControllerTest, RequestsThatAreNotCountedPassTheRate) {
    const KeyPolicy limits = policy(R"({"requests_per_minute":1})");
    admitted(admit(limits));
    AdmissionRequest upgrade;
    upgrade.counts_request = false;
    admitted(admit(limits, upgrade));
}

TEST_F(AdmissionControllerTest, ReservesEachRequestsCapThenChargesItsRealUsage) {
    const KeyPolicy limits = policy(R"({"tokens_per_day":10000,"max_tokens_per_request":4000})");
    AdmissionTicket first = admitted(admit(limits));
    AdmissionTicket second = admitted(admit(limits));
    EXPECT_EQ(controller_.load(key().id).tokens_reserved, 8000U);

    // 8000 held + 4000 > 10000, but only running requests hold it: retry in a second.
    const sdk::ErrorInfo held = refused(admit(limits));
    EXPECT_EQ(held.http_status, 429);
    EXPECT_EQ(held.type, "tokens_per_day");
    EXPECT_EQ(held.retry_after_seconds, 1);

    first.settle(used(600, 400));
    KeyLoad load = controller_.load(key().id);
    EXPECT_EQ(load.tokens_today, 1000U);
    EXPECT_EQ(load.tokens_reserved, 4000U);
    AdmissionTicket third = admitted(admit(limits));

    second.settle(used(3000, 2000));  // real usage may exceed the reservation
    third.settle(used(2000, 1000));
    load = controller_.load(key().id);
    EXPECT_EQ(load.tokens_today, 9000U);
    EXPECT_EQ(load.tokens_reserved, 0U);

    // Used up for today: retry when the UTC day ends.
    const sdk::ErrorInfo spent = refused(admit(limits));
    EXPECT_EQ(spent.retry_after_seconds, secondsUntil(1));
    EXPECT_EQ(rejections("tokens_per_day"), 2U);

    advance(std::chrono::seconds(spent.retry_after_seconds));
    admitted(admit(limits));
}

TEST_F(AdmissionControllerTest, ChargesTotalTokensWhenUpstreamReportsThem) {
    const KeyPolicy limits = policy(R"({"tokens_per_day":10000,"max_tokens_per_request":4000})");
    sdk::TokenUsage usage = used(100, 100);
    usage.total_tokens = 700;
    admitted(admit(limits)).settle(usage);
    EXPECT_EQ(controller_.load(key().id).tokens_today, 700U);
}

TEST_F(AdmissionControllerTest, WeeklyBudgetFreesUpWhenTheOldestDayLeavesTheSevenDays) {
    const KeyPolicy limits = policy(R"({"tokens_per_week":10000,"max_tokens_per_request":4000})");
    admitted(admit(limits)).settle(used(3000, 2000));
    advance(std::chrono::seconds(secondsUntil(1)));
    admitted(admit(limits)).settle(used(1500, 500));
    EXPECT_EQ(controller_.load(key().id).tokens_this_week, 7000U);
    EXPECT_EQ(controller_.load(key().id).tokens_today, 2000U);

    // 7000 + 4000 > 10000 until the first day (5000) leaves the window: six days from now.
    const sdk::ErrorInfo error = refused(admit(limits));
    EXPECT_EQ(error.type, "tokens_per_week");
    EXPECT_EQ(error.retry_after_seconds, secondsUntil(6));
    EXPECT_EQ(rejections("tokens_per_week"), 1U);

    advance(std::chrono::seconds(secondsUntil(5)));
    refused(admit(limits));
    advance(std::chrono::seconds(secondsUntil(1)));
    admitted(admit(limits));
    EXPECT_EQ(controller_.load(key().id).tokens_this_week, 2000U);
}

TEST_F(AdmissionControllerTest, RefusesARequestWhoseInputAloneExceedsThePerRequestCap) {
    const KeyPolicy limits = policy(R"({"max_tokens_per_request":100})");
    AdmissionRequest request;
    request.input_bytes = 400;  // about 100 tokens
    admitted(admit(limits, request));
    request.input_bytes = 401;
    const sdk::ErrorInfo error = refused(admit(limits, request));
    EXPECT_EQ(error.http_status, 429);
    EXPECT_EQ(error.type, "tokens_per_request");
    EXPECT_GT(error.retry_after_seconds, 0);
    EXPECT_NE(error.message.find("101"), std::string::npos);
    EXPECT_EQ(rejections("tokens_per_request"), 1U);

    request.uses_tokens = false;  // not a model call: no tokens to cap
    admitted(admit(limits, request));
}

TEST_F(AdmissionControllerTest, StreamSlotsComeBackWhenATicketSettlesOrIsDropped) {
    const KeyPolicy limits = policy(R"({"max_concurrent_streams":2})");
    AdmissionTicket first = admitted(admit(limits));
    {
        AdmissionTicket second = admitted(admit(limits));
        const sdk::ErrorInfo error = refused(admit(limits));
        EXPECT_EQ(error.http_status, 429);
        EXPECT_EQ(error.type, "concurrent_streams");
        EXPECT_EQ(error.retry_after_seconds, 1);
        EXPECT_EQ(controller_.load(key().id).streams, 2U);

        first.settle({});
        first.settle({});  // settling twice gives nothing back twice
        EXPECT_EQ(controller_.load(key().id).streams, 1U);
        first = admitted(admit(limits));
        refused(admit(limits));
    }
    EXPECT_EQ(controller_.load(key().id).streams, 1U);
    AdmissionTicket third = admitted(admit(limits));
    AdmissionTicket moved = std::move(third);  // a moved ticket still holds exactly one slot
    refused(admit(limits));
    moved = AdmissionTicket();
    EXPECT_EQ(controller_.load(key().id).streams, 1U);
    EXPECT_EQ(rejections("concurrent_streams"), 3U);

    AdmissionRequest no_stream;
    no_stream.opens_stream = false;
    AdmissionTicket extra = admitted(admit(limits, no_stream));
    AdmissionTicket last = admitted(admit(limits));
    refused(admit(limits));
}

TEST_F(AdmissionControllerTest, StartsFromTheUsageStoredForTheLastSevenDays) {
    const std::int64_t today = accounting::utcDay(host_.clock().now());
    usage_.buckets = {
        {today, "team", "sk-sluice-k1", "acct-a", "gpt-5.5", 3, 0, 4000, 0, 2000, 0},
        {today - 3, "team", "sk-sluice-k1", "acct-a", "gpt-5.5", 1, 0, 2000, 0, 1000, 0},
        {today - 7, "team", "sk-sluice-k1", "acct-a", "gpt-5.5", 1, 0, 90000, 0, 0,
         0},  // out of the week
        {today, "team", "sk-sluice-other", "acct-a", "gpt-5.5", 1, 0, 90000, 0, 0, 0},
    };
    const KeyPolicy limits =
        policy(R"({"tokens_per_day":10000,"tokens_per_week":14000,"max_tokens_per_request":4000})");
    AdmissionTicket ticket = admitted(admit(limits));  // 6000 today + 4000 fits exactly
    KeyLoad load = controller_.load(key().id);
    EXPECT_EQ(load.tokens_today, 6000U);
    EXPECT_EQ(load.tokens_this_week, 9000U);
    EXPECT_EQ(refused(admit(limits)).type, "tokens_per_day");

    ticket.settle(used(0, 0));
    // 9000 this week + 4000 fits 14000; storage is read once, not per request.
    admitted(admit(limits));
    EXPECT_EQ(usage_.queries.load(), 1);
}

TEST_F(AdmissionControllerTest, RefusesWithA503WhenStoredUsageCannotBeRead) {
    usage_.available = false;
    const KeyPolicy limits = policy(R"({"tokens_per_day":20000})");
    const sdk::ErrorInfo error = refused(admit(limits));
    EXPECT_EQ(error.http_status, 503);
    EXPECT_EQ(error.code, "usage_unavailable");
    EXPECT_GT(error.retry_after_seconds, 0);
    usage_.available = true;
    admitted(admit(limits));
}

TEST_F(AdmissionControllerTest, AKeyWithoutTokenLimitsNeverReadsStorage) {
    admitted(admit(policy(R"({"requests_per_minute":5,"max_concurrent_streams":1})")));
    EXPECT_EQ(usage_.queries.load(), 0);
}

TEST_F(AdmissionControllerTest, PolicyOfIsNullForCallersWithoutLimits) {
    for (const std::string& json : {std::string(), std::string("{}")}) {
        const auto policy = controller_.policyOf(key(json));
        ASSERT_TRUE(std::holds_alternative<std::shared_ptr<const KeyPolicy>>(policy));
        EXPECT_EQ(std::get<std::shared_ptr<const KeyPolicy>>(policy), nullptr);
    }
    sdk::Principal admin{sdk::CredentialKind::AdminToken, "sk-admin-1", "ops", "",
                         R"({"requests_per_minute":1})"};
    EXPECT_EQ(std::get<std::shared_ptr<const KeyPolicy>>(controller_.policyOf(admin)), nullptr);
}

TEST_F(AdmissionControllerTest, PolicyOfParsesOnceAndFollowsChanges) {
    const auto first = std::get<std::shared_ptr<const KeyPolicy>>(
        controller_.policyOf(key(R"({"requests_per_minute":3})")));
    const auto cached = std::get<std::shared_ptr<const KeyPolicy>>(
        controller_.policyOf(key(R"({"requests_per_minute":3})")));
    ASSERT_NE(first, nullptr);
    EXPECT_EQ(first, cached);
    const auto changed = std::get<std::shared_ptr<const KeyPolicy>>(
        controller_.policyOf(key(R"({"requests_per_minute":4})")));
    ASSERT_NE(changed, nullptr);
    EXPECT_EQ(*changed->requests_per_minute, 4U);
}

TEST_F(AdmissionControllerTest, AStoredPolicyThatNoLongerParsesFailsClosed) {
    const auto outcome = controller_.policyOf(key(R"({"requests_per_hour":3})"));
    ASSERT_TRUE(std::holds_alternative<sdk::ErrorInfo>(outcome));
    const auto& error = std::get<sdk::ErrorInfo>(outcome);
    EXPECT_EQ(error.http_status, 403);
    EXPECT_EQ(error.code, "key_policy_invalid");
    EXPECT_EQ(rejections("policy_unavailable"), 1U);
}

TEST_F(AdmissionControllerTest, CountsRefusalsDecidedElsewhere) {
    controller_.countRefusal("model_not_allowed");
    controller_.countRefusal("not_a_limit");
    EXPECT_EQ(rejections("model_not_allowed"), 1U);
}

}  // namespace
}  // namespace sluice::core::admission
