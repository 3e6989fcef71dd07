#include "core/billing/stripe_event.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace sluice::core::billing {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

// HMAC-SHA256 of "1700000000.{\"id\":\"evt_1\"}" under "whsec_test", computed with
// `openssl dgst -sha256 -hmac whsec_test`: an outside reference for the scheme.
constexpr const char* kPayload = R"({"id":"evt_1"})";
constexpr const char* kSecret = "whsec_test";
constexpr const char* kGood = "c89214b5b5da833daed6f0b8c5bb6bd58cea9022bd80ccc78230f3942d632925";
const sdk::TimePoint kSigned{1700000000s};

sdk::Status check(const std::string& header, sdk::TimePoint now = kSigned,
                  const char* payload = kPayload) {
    return checkStripeSignature(header, payload, kSecret, now, 300s);
}

TEST(StripeEventTest, AMatchingV1SignatureWithinTheToleranceVerifies) {
    EXPECT_TRUE(check(std::string("t=1700000000,v1=") + kGood).ok());
    EXPECT_TRUE(check(std::string("t=1700000000,v1=") + kGood, kSigned + 300s).ok());
    EXPECT_TRUE(check(std::string("t=1700000000,v1=") + kGood, kSigned - 300s).ok());
    // Rolled secrets sign with each; v0 (Stripe's test scheme) and unknown elements are ignored.
    EXPECT_TRUE(check(std::string("t=1700000000,v1=00ff,v0=abc,x=y,v1=") + kGood).ok());
}

TEST(StripeEventTest, EveryOtherHeaderIsRefusedAsPermissionDenied) {
    const std::string good = std::string("v1=") + kGood;
    const struct {
        std::string header;
        sdk::TimePoint now;
        const char* payload;
        const char* says;
    } cases[] = {
        {"", kSigned, kPayload, "needs t="},
        {good, kSigned, kPayload, "needs t="},
        {"t=1700000000", kSigned, kPayload, "needs t="},
        {"t=17e8," + good, kSigned, kPayload, "needs t="},
        {"t=1700000000,v0=" + std::string(kGood), kSigned, kPayload, "needs t="},
        {"t=1700000000," + good, kSigned + 301s, kPayload, "more than 300 s"},
        {"t=1700000000," + good, kSigned - 301s, kPayload, "more than 300 s"},
        {"t=1700000001," + good, kSigned, kPayload, "no v1 signature"},
        {"t=1700000000," + good, kSigned, R"({"id":"evt_2"})", "no v1 signature"},
        {"t=1700000000,v1=" + std::string(kGood).substr(1), kSigned, kPayload, "no v1 signature"},
    };
    for (const auto& each : cases) {
        const sdk::Status status = check(each.header, each.now, each.payload);
        EXPECT_EQ(status.code(), sdk::StatusCode::PermissionDenied) << each.header;
        EXPECT_NE(status.message().find(each.says), std::string::npos)
            << each.header << ": " << status.message();
    }
}

json checkout(const char* type, const char* payment_status) {
    return {{"id", "evt_9"},
            {"type", type},
            {"data",
             {{"object",
               {{"id", "cs_test_1"},
                {"object", "checkout.session"},
                {"client_reference_id", "acme"},
                {"currency", "usd"},
                {"amount_total", 2500},
                {"payment_status", payment_status}}}}}};
}

TEST(StripeEventTest, APaidCheckoutSessionIsAPaymentInMicroUsd) {
    for (const json& event : {checkout("checkout.session.completed", "paid"),
                              checkout("checkout.session.async_payment_succeeded", "paid")}) {
        const auto read = readStripeEvent(event.dump());
        ASSERT_TRUE(read.ok()) << read.status().message();
        EXPECT_EQ(read->id, "evt_9");
        ASSERT_TRUE(read->payment.has_value());
        EXPECT_EQ(read->payment->session_id, "cs_test_1");
        EXPECT_EQ(read->payment->customer, "acme");
        EXPECT_EQ(read->payment->micro_usd, 25'000'000);
    }
}

TEST(StripeEventTest, OtherEventsAndUnpaidCheckoutsCarryNoPayment) {
    for (const json& event : {checkout("checkout.session.completed", "unpaid"),
                              checkout("checkout.session.expired", "unpaid"),
                              json{{"id", "evt_3"}, {"type", "invoice.paid"}}}) {
        const auto read = readStripeEvent(event.dump());
        ASSERT_TRUE(read.ok()) << read.status().message();
        EXPECT_FALSE(read->payment.has_value()) << event["type"];
    }
}

TEST(StripeEventTest, AnEventThatCannotBeCreditedIsInvalid) {
    json no_customer = checkout("checkout.session.completed", "paid");
    no_customer["data"]["object"].erase("client_reference_id");
    json euro = checkout("checkout.session.completed", "paid");
    euro["data"]["object"]["currency"] = "eur";
    json free = checkout("checkout.session.completed", "paid");
    free["data"]["object"]["amount_total"] = 0;
    json fractional = checkout("checkout.session.completed", "paid");
    fractional["data"]["object"]["amount_total"] = 12.5;
    json huge = checkout("checkout.session.completed", "paid");
    huge["data"]["object"]["amount_total"] = std::int64_t{1} << 62;
    const struct {
        std::string payload;
        const char* says;
    } cases[] = {
        {"not json", "not a JSON object"},
        {"[1]", "not a JSON object"},
        {R"({"type":"checkout.session.completed"})", "no id"},
        {R"({"id":"evt_1","type":"checkout.session.completed"})", "no data.object"},
        {no_customer.dump(), "client_reference_id"},
        {euro.dump(), "not in USD"},
        {free.dump(), "positive amount_total"},
        {fractional.dump(), "positive amount_total"},
        {huge.dump(), "positive amount_total"},
    };
    for (const auto& each : cases) {
        const auto read = readStripeEvent(each.payload);
        ASSERT_FALSE(read.ok()) << each.payload;
        EXPECT_EQ(read.status().code(), sdk::StatusCode::InvalidArgument);
        EXPECT_NE(read.status().message().find(each.says), std::string::npos)
            << read.status().message();
    }
}

}  // namespace
}  // namespace sluice::core::billing
