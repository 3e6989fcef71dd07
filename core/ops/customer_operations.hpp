#pragma once

#include "core/admission/admission_controller.hpp"
#include "core/billing/wallet_book.hpp"
#include "core/control/control_context.hpp"
#include "core/ops/operations.hpp"

namespace sluice::core::ops {

/// What the customer operations read and change.
struct CustomerOperationsContext {
    control::ControlContext& control;
    const billing::WalletBook* book;  ///< null when billing is off
    admission::AdmissionController& admission;
    sdk::SharedState* shared;  ///< null without shared state (ADR 0012)
};

/// Operations a Pool API key linked to a customer's wallet runs on its own customer (issue 17,
/// behind route-customer): customer.profile, customer.wallet, customer.token_usage,
/// customer.keys.list|create|revoke, customer.key.rotate. Pool keys only; the customer is
/// always the caller's (control::CustomerService). Also wallet.preflight: the admission's
/// empty-wallet refusal of the calling key, from memory, for families that start work which
/// spends later (a runner run, an app-server turn) and refuse it up front in their dialect.
void addCustomerOperations(Operations& operations, CustomerOperationsContext context);

}  // namespace sluice::core::ops
