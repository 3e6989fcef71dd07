// route-customer's POST /api/v1/stripe/webhook in a billed gateway (issue 17): a signed, paid
// Checkout Session credits its customer's wallet once; redeliveries, bad or stale signatures,
// unknown customers and other currencies credit nothing; without a secret the route says so.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/security/encoding.hpp"
#include "tests/integration/customer_gateway.hpp"

namespace sluice::integration {
namespace {

using json = nlohmann::json;
constexpr const char* kSecret = "whsec_sluice_test";

json paidCheckout(const std::string& event_id, const std::string& session_id,
                  const std::string& customer, const std::string& currency = "usd") {
    return {{"id", event_id},
            {"object", "event"},
            {"type", "checkout.session.completed"},
            {"data",
             {{"object",
               {{"id", session_id},
                {"object", "checkout.session"},
                {"client_reference_id", customer},
                {"currency", currency},
                {"amount_total", 2500},
                {"payment_status", "paid"}}}}}};
}

std::int64_t unixNow() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string signatureOf(const std::string& payload, std::int64_t at,
                        const std::string& secret = kSecret) {
    const std::string t = std::to_string(at);
    return "t=" + t +
           ",v1=" + core::security::toHex(core::security::hmacSha256(secret, t + "." + payload));
}

class StripeWebhookTest : public CustomerGatewayTest {
protected:
    explicit StripeWebhookTest(std::string billing_yaml = std::string("stripe_webhook_secret: ") +
                                                          kSecret)
        : CustomerGatewayTest(true, billing_yaml) {}

    std::string balance(const std::string& customer) {
        return operate("wallets.get", {{"customer", customer}})["customer"]["balance_usd"];
    }

    HttpReply deliver(const std::string& payload, const std::string& signature) {
        return harness_.request(
            "POST", "/api/v1/stripe/webhook", payload,
            {{"Stripe-Signature", signature}, {"Content-Type", "application/json; charset=utf-8"}},
            false);
    }

    HttpReply deliverSigned(const json& event) {
        const std::string payload = event.dump(2);  // Stripe sends indented JSON
        return deliver(payload, signatureOf(payload, unixNow()));
    }

    static std::string codeOf(const HttpReply& reply) {
        const json body = json::parse(reply.body, nullptr, false);
        return body.contains("error") ? body["error"].value("code", "") : "";
    }
};

TEST_F(StripeWebhookTest, APaidCheckoutCreditsItsCustomerOncePerSession) {
    operate("customers.create", {{"customer", "acme"}});
    HttpReply reply = deliverSigned(paidCheckout("evt_1", "cs_1", "acme"));
    ASSERT_EQ(reply.status, 200) << reply.body;
    json answer = json::parse(reply.body);
    EXPECT_EQ(answer["credited"], true);
    EXPECT_EQ(answer["amount_usd"], "25.000000");
    EXPECT_EQ(balance("acme"), "25.000000");

    // A redelivery, and another event about the same session, are acknowledged, not booked.
    for (const char* event : {"evt_1", "evt_2"}) {
        reply = deliverSigned(paidCheckout(event, "cs_1", "acme"));
        ASSERT_EQ(reply.status, 200) << reply.body;
        EXPECT_EQ(json::parse(reply.body)["credited"], false) << event;
    }
    EXPECT_EQ(balance("acme"), "25.000000");
    const json transactions = operate("wallets.get", {{"customer", "acme"}})["transactions"];
    ASSERT_EQ(transactions.size(), 1u) << transactions.dump();
    EXPECT_NE(transactions[0]["reason"].get<std::string>().find("cs_1"), std::string::npos);
}

TEST_F(StripeWebhookTest, BadStaleOrMissingSignaturesAreRefusedAndCreditNothing) {
    operate("customers.create", {{"customer", "acme"}});
    const std::string payload = paidCheckout("evt_1", "cs_1", "acme").dump();
    for (const std::string& signature :
         {signatureOf(payload, unixNow(), "whsec_other"), signatureOf(payload, unixNow() - 301),
          signatureOf(payload + " ", unixNow()), std::string("v1=00"), std::string()}) {
        const HttpReply reply = deliver(payload, signature);
        EXPECT_EQ(reply.status, 400) << signature << ": " << reply.body;
        EXPECT_EQ(codeOf(reply), "invalid_signature") << reply.body;
    }
    EXPECT_EQ(balance("acme"), "0.000000");
}

TEST_F(StripeWebhookTest, EventsThatCannotBeCreditedAreTypedAndOthersAcknowledged) {
    operate("customers.create", {{"customer", "acme"}});
    HttpReply reply = deliverSigned(paidCheckout("evt_1", "cs_1", "nobody"));
    EXPECT_EQ(reply.status, 404) << reply.body;
    EXPECT_EQ(codeOf(reply), "customer_not_found");
    reply = deliverSigned(paidCheckout("evt_2", "cs_2", "acme", "eur"));
    EXPECT_EQ(reply.status, 400) << reply.body;
    EXPECT_EQ(codeOf(reply), "invalid_request");
    reply = deliverSigned({{"id", "evt_3"}, {"type", "invoice.paid"}, {"data", {{"object", {}}}}});
    EXPECT_EQ(reply.status, 200) << reply.body;
    EXPECT_EQ(json::parse(reply.body)["credited"], false);
    EXPECT_EQ(balance("acme"), "0.000000");
}

class UnconfiguredStripeWebhookTest : public StripeWebhookTest {
protected:
    UnconfiguredStripeWebhookTest() : StripeWebhookTest("") {}
};

TEST_F(UnconfiguredStripeWebhookTest, WithoutASecretTheWebhookSaysItIsOff) {
    const HttpReply reply = deliverSigned(paidCheckout("evt_1", "cs_1", "acme"));
    EXPECT_EQ(reply.status, 503) << reply.body;
    EXPECT_EQ(codeOf(reply), "stripe_webhook_off");
}

}  // namespace
}  // namespace sluice::integration
