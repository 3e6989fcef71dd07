#include "core/observability/alerts/webhook_courier.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/security/encoding.hpp"
#include "sluice/sdk/testing/fake_host.hpp"

namespace sluice::core::observability::alerts {
namespace {

using json = nlohmann::json;
using std::chrono::seconds;

constexpr const char* kSecret = "whsec-alerts-test";

Alert deliveryOf(Phase phase, sdk::TimePoint since) {
    Alert alert{
        {"account_needs_sign_in:acct-1", Rule::AccountNeedsSignIn, "acct-1",
         "account alice in pool team needs a new sign-in: needs a new login", "team", "acct-1"},
        phase,
        since,
        std::nullopt};
    if (phase == Phase::Resolved) {
        alert.resolved_at = since + seconds(30);
    }
    return alert;
}

sdk::HttpReply replyWith(int status) {
    return {status, {}, ""};
}

std::string headerOf(const sdk::testing::FakeHttpClient::RecordedCall& call,
                     std::string_view name) {
    return std::string(sdk::findHeader(call.headers, name).value_or(""));
}

class WebhookCourierTest : public ::testing::Test {
protected:
    WebhookCourierTest()
        : courier_(host_.fakeHttp(),
                   {"http://127.0.0.1:9/hook", kSecret, std::chrono::milliseconds(2000),
                    std::chrono::milliseconds(5000), 3},
                   host_.logger("alerts"), host_.metrics()) {}

    sdk::TimePoint now() { return host_.clock().now(); }
    void advance(seconds by) { host_.fakeClock().advance(by); }
    std::size_t sent() { return host_.fakeHttp().calls().size(); }

    sdk::testing::FakeHost host_;
    WebhookCourier courier_;
};

TEST_F(WebhookCourierTest, ADeliveryIsSignedOverTheTimestampAndTheBody) {
    const sdk::TimePoint since = now();
    courier_.post(deliveryOf(Phase::Firing, since), now());
    host_.fakeHttp().enqueue(replyWith(204));
    EXPECT_EQ(courier_.deliverDue(now()), std::nullopt);  // delivered: nothing left
    const auto calls = host_.fakeHttp().calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].method, "POST");
    EXPECT_EQ(calls[0].url, "http://127.0.0.1:9/hook");
    EXPECT_EQ(headerOf(calls[0], "Content-Type"), "application/json");
    const std::string t = "1800000000";
    const std::string expected =
        "t=" + t + ",v1=" + security::toHex(security::hmacSha256(kSecret, t + "." + calls[0].body));
    EXPECT_EQ(headerOf(calls[0], kSignatureHeader), expected);
    const json body = json::parse(calls[0].body);
    EXPECT_EQ(body["type"], "alert.firing");
    EXPECT_EQ(body["event"], "account_needs_sign_in:acct-1@1800000000:firing");
    EXPECT_EQ(body["alert"]["account"], "acct-1");
    EXPECT_EQ(body["alert"]["severity"], "warning");
    EXPECT_EQ(host_.counterValue("sluice_alert_deliveries_total", {{"outcome", "delivered"}}), 1u);
    for (const auto& line : host_.lines()) {
        for (const auto& [key, value] : line.fields) {
            EXPECT_EQ(value.find(kSecret), std::string::npos) << line.event;
        }
    }
}

TEST_F(WebhookCourierTest, AFailedDeliveryIsRetriedWithDoublingWaitsAndLaterOnesWaitBehindIt) {
    const sdk::TimePoint since = now();
    courier_.post(deliveryOf(Phase::Firing, since), now());
    courier_.post(deliveryOf(Phase::Resolved, since), now());
    host_.fakeHttp().enqueue(replyWith(500));
    EXPECT_EQ(courier_.deliverDue(now()), now() + seconds(5));
    EXPECT_EQ(sent(), 1u);  // the resolution waits behind the firing
    advance(seconds(4));
    EXPECT_EQ(courier_.deliverDue(now()), now() + seconds(1));
    EXPECT_EQ(sent(), 1u);
    advance(seconds(1));
    // Nothing queued in the fake: the receiver is unreachable; the next wait doubles.
    EXPECT_EQ(courier_.deliverDue(now()), now() + seconds(10));
    advance(seconds(10));
    host_.fakeHttp().enqueue(replyWith(200));
    host_.fakeHttp().enqueue(replyWith(200));
    EXPECT_EQ(courier_.deliverDue(now()), std::nullopt);
    const auto calls = host_.fakeHttp().calls();
    ASSERT_EQ(calls.size(), 4u);
    EXPECT_EQ(calls[0].body, calls[2].body);  // the same event, re-signed at each attempt
    EXPECT_NE(headerOf(calls[0], kSignatureHeader), headerOf(calls[2], kSignatureHeader));
    EXPECT_EQ(json::parse(calls[3].body)["type"], "alert.resolved");
    EXPECT_EQ(host_.counterValue("sluice_alert_deliveries_total", {{"outcome", "failed"}}), 2u);
}

TEST_F(WebhookCourierTest, ADeliveryIsGivenUpAfterItsLastAttemptAndTheNextGoesOn) {
    courier_.post(deliveryOf(Phase::Firing, now()), now());
    courier_.post(deliveryOf(Phase::Resolved, now()), now());
    for (int attempt = 0; attempt < 3; ++attempt) {
        host_.fakeHttp().enqueue(replyWith(503));
        const auto next = courier_.deliverDue(now());
        ASSERT_TRUE(next);
        advance(std::chrono::duration_cast<seconds>(*next - now()));
    }
    EXPECT_EQ(sent(), 4u);  // three for the firing, then the resolution's first
    EXPECT_EQ(host_.counterValue("sluice_alert_deliveries_total", {{"outcome", "abandoned"}}), 1u);
    bool logged = false;
    for (const auto& line : host_.lines()) {
        logged = logged || line.event == "alert_delivery_abandoned";
    }
    EXPECT_TRUE(logged);
}

}  // namespace
}  // namespace sluice::core::observability::alerts
