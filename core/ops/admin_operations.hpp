#pragma once

#include "core/accounting/recent_traffic.hpp"
#include "core/admission/admission_controller.hpp"
#include "core/control/control_context.hpp"
#include "core/lifecycle/sign_in_desk.hpp"
#include "core/lifecycle/usage_prober.hpp"
#include "core/observability/alerts/alert_board.hpp"
#include "core/ops/operations.hpp"
#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"

namespace sluice::core::ops {

/// What operator operations read and change.
struct AdminOperationsContext {
    control::ControlContext& control;
    routing::RoutingTable& routing;
    const routing::RoutePlanner& planner;
    admission::AdmissionController& admission;
    const sdk::Clock& clock;
    sdk::TimePoint started_at;
    lifecycle::SignInDesk& sign_ins;
    const accounting::RecentTraffic& traffic;         ///< requests and errors of the last hour
    lifecycle::UsageProber& prober;                   ///< quota probes on demand
    const observability::alerts::AlertBoard& alerts;  ///< firing and recently resolved
};

/// Operations for admin tokens (everything) and MCP tokens (the read-only ones): service.status,
/// alerts.list, pools.*, accounts.*, sign_ins.*, keys.*, customers.*, wallets.*, rate_cards.*,
/// request_logs.*, audit.*, usage.rollup, mcp_tokens.*. Mutations go through the control services,
/// so each writes its audit event with the actor "admin:<token prefix>".
void addAdminOperations(Operations& operations, const AdminOperationsContext& context);

}  // namespace sluice::core::ops
