#pragma once

#include "core/control/control_context.hpp"
#include "core/ops/operations.hpp"

namespace sluice::core::ops {

/// billing.stripe_event: a Stripe webhook delivery (route-customer's POST /stripe/webhook). The
/// caller holds no gateway credential; the operation trusts the delivery only once its
/// Stripe-Signature verifies under billing.stripe_webhook_secret, and then credits a paid
/// Checkout Session to the wallet of the customer its client_reference_id names, once per
/// session (issue 17).
void addPaymentOperations(Operations& operations, control::ControlContext& control);

}  // namespace sluice::core::ops
