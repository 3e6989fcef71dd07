#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sluice/sdk/status.hpp"
#include "sluice/sdk/time.hpp"

namespace sluice::core::billing {

/// Checks a `Stripe-Signature` header (`t=<unix seconds>,v1=<hex>[,v1=...][,v0=...]`) against
/// the raw payload: some v1 must be the HMAC-SHA256 of "<t>.<payload>" under `secret`, and t
/// must lie within `tolerance` of `now` (either way). Compared in constant time.
/// PermissionDenied, saying which of these failed, otherwise.
sdk::Status checkStripeSignature(std::string_view header, std::string_view payload,
                                 std::string_view secret, sdk::TimePoint now,
                                 std::chrono::seconds tolerance);

/// A paid Checkout Session, read from a verified event.
struct StripePayment {
    std::string session_id;      ///< cs_...: a session is credited once, whichever event says so
    std::string customer;        ///< client_reference_id: the Sluice customer's username
    std::int64_t micro_usd = 0;  ///< amount_total in cents, times 10,000
};

/// What a verified event asks for: a payment to credit, or nothing (another event type, or a
/// checkout that is not paid yet).
struct StripeEvent {
    std::string id;  ///< evt_...
    std::string type;
    std::optional<StripePayment> payment;
};

/// Reads the event. `checkout.session.completed` with payment_status "paid" and
/// `checkout.session.async_payment_succeeded` carry a payment; every other type is accepted
/// with none. InvalidArgument for a payload that is not an event with an id and a type, and for
/// a payment without client_reference_id (the credit would have no customer), in a currency
/// other than USD or without a positive amount_total.
sdk::Result<StripeEvent> readStripeEvent(std::string_view payload);

}  // namespace sluice::core::billing
