#pragma once

#include "core/dispatch/dispatch_metrics.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "core/dispatch/turn_gate.hpp"
#include "core/dispatch/upstream_envelope.hpp"
#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "core/upstream/connection_pool.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/logger.hpp"

namespace sluice::core::dispatch {

/// Relays the Responses websocket transport. The upstream socket is opened first, so a refused
/// or failed upgrade can fail over to another account (or be answered with a plain HTTP error)
/// before the client's upgrade is accepted. Frames then pass verbatim both ways on the request
/// thread; upstream frames are read for quota evidence and token usage.
class WebSocketRelay final {
public:
    static constexpr std::chrono::minutes kIdleLimit{30};
    static constexpr int kMaxFrameBytes = 64 * 1024 * 1024;

    WebSocketRelay(routing::RoutingTable& routing, routing::RoutePlanner& planner,
                   routing::AffinityTable& response_owners, upstream::ConnectionPool& connections,
                   const UpstreamEnvelope& envelope, DispatchMetrics& metrics, const sdk::Clock& clock,
                   sdk::Logger& logger)
        : routing_(routing),
          planner_(planner),
          response_owners_(response_owners),
          connections_(connections),
          envelope_(envelope),
          metrics_(metrics),
          clock_(clock),
          logger_(logger) {}

    /// `switched` is set once the client's upgrade has been answered (101). Each turn the
    /// client starts passes `turns` first.
    sdk::DispatchOutcome relay(const sdk::Principal& caller, const sdk::DispatchRequest& request,
                               Poco::Net::HTTPServerRequest& client_request,
                               Poco::Net::HTTPServerResponse& client_response, bool& switched,
                               RoutingTrace& trace, TurnGate& turns);

private:
    routing::RoutingTable& routing_;
    routing::RoutePlanner& planner_;
    routing::AffinityTable& response_owners_;
    upstream::ConnectionPool& connections_;
    const UpstreamEnvelope& envelope_;
    DispatchMetrics& metrics_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
};

}  // namespace sluice::core::dispatch
