#pragma once

#include <atomic>
#include <cstdint>
#include <string>

#include "core/accounting/request_log_writer.hpp"
#include "core/admission/admission_controller.hpp"
#include "core/auth/authenticator.hpp"
#include "core/dispatch/dispatcher.hpp"
#include "core/dispatch/quota_presenter.hpp"
#include "core/dispatch/stream_cutoff.hpp"
#include "core/dispatch/websocket_relay.hpp"
#include "core/observability/metrics_registry.hpp"
#include "core/ops/operations.hpp"
#include "core/routing/file_owner_table.hpp"
#include "core/runtime/replica_link.hpp"
#include "core/server/request_metrics.hpp"
#include "core/server/route_table.hpp"
#include "sluice/sdk/logger.hpp"
#include "sluice/sdk/storage_backend.hpp"

namespace sluice::core::server {

/// What every request handler shares. Owned by the GatewayServer; outlives all requests.
struct ServerContext {
    const RouteTable& routes;
    const auth::Authenticator& authenticator;
    dispatch::Dispatcher& dispatcher;
    dispatch::WebSocketRelay& websockets;
    const dispatch::QuotaPresenter& quota;
    dispatch::StreamCutoff& cutoff;  ///< ends open streams when the drain time is up
    admission::AdmissionController& admission;
    const ops::Operations& operations;
    const routing::FileOwnerTable& file_owners;
    accounting::RequestLogWriter& request_log;
    accounting::SettledCharges* charges;  ///< null: no billing
    observability::MetricsRegistry& metrics_registry;
    RequestMetrics& metrics;
    sdk::StorageBackend& storage;
    sdk::Logger& logger;
    const sdk::Clock& clock;
    std::uint64_t max_body_bytes = 0;
    std::string metrics_token;                       ///< empty: /metrics is open
    const runtime::ReplicaLink* replicas = nullptr;  ///< null: no shared state

    std::atomic<bool> draining{false};
    std::atomic<int> in_flight{0};
};

}  // namespace sluice::core::server
