#include "core/ops/payment_operations.hpp"

#include <chrono>

#include "core/billing/money.hpp"
#include "core/billing/stripe_event.hpp"
#include "core/control/wallet_service.hpp"
#include "core/ops/schema.hpp"

namespace sluice::core::ops {

namespace {

using json = nlohmann::json;
namespace s = schema;

// Stripe's own limit for a webhook payload is far below this; the route's body limit applies
// first.
constexpr std::size_t kMaxPayload = 1 << 20;

json received(bool credited, const std::string& event_id) {
    return {{"received", true}, {"event", event_id}, {"credited", credited}};
}

sdk::Result<json> creditVerified(control::ControlContext& control, const std::string& payload) {
    auto event = billing::readStripeEvent(payload);
    if (!event.ok()) {
        return event.status();
    }
    if (!event->payment) {
        return received(false, event->id);  // not a paid checkout: acknowledged, nothing to book
    }
    const billing::StripePayment& payment = *event->payment;
    auto booked = control::WalletService(control).creditPayment(
        payment.customer, payment.micro_usd, "stripe:" + payment.session_id,
        "Stripe Checkout Session " + payment.session_id + " (event " + event->id + ")",
        "stripe:" + event->id);
    if (booked.status().code() == sdk::StatusCode::AlreadyExists) {
        return received(false, event->id);  // a redelivery or a second event of one session
    }
    if (!booked.ok()) {
        return booked.status();
    }
    json answer = received(true, event->id);
    answer["amount_usd"] = billing::formatUsd(payment.micro_usd);
    return answer;
}

}  // namespace

void addPaymentOperations(Operations& operations, control::ControlContext& control) {
    operations.add(
        {"billing.stripe_event",
         {sdk::CredentialKind::None},
         true,
         "A Stripe webhook delivery: verified by its signature, a paid Checkout Session is "
         "credited to the customer named by client_reference_id, once per session",
         s::params(
             {{"payload", s::text("the request body, unchanged", kMaxPayload)},
              {"signature",
               s::text("the Stripe-Signature header; absent, the delivery is refused", 4096)}},
             {"payload"}),
         s::shape({{"received", s::boolean("always true")},
                   {"event", s::text("the event id (evt_...)")},
                   {"credited", s::boolean("this delivery credited a wallet")},
                   {"amount_usd", s::text("what was credited")}},
                  {"received", "event", "credited"}),
         [&control](const OperationCall& call) -> sdk::Result<json> {
             const auto pipeline = control.pipeline();
             const config::BillingSettings& billing = pipeline->billing;
             if (billing.stripe_webhook_secret.empty()) {
                 return sdk::Status{sdk::StatusCode::Unavailable,
                                    "the Stripe webhook is off: billing.stripe_webhook_secret "
                                    "is not set"};
             }
             const std::string payload = call.params["payload"];
             const auto verified = billing::checkStripeSignature(
                 call.params.value("signature", std::string()), payload,
                 billing.stripe_webhook_secret, control.clock.now(),
                 std::chrono::duration_cast<std::chrono::seconds>(billing.stripe_tolerance));
             if (!verified.ok()) {
                 return verified;
             }
             return creditVerified(control, payload);
         }});
}

}  // namespace sluice::core::ops
