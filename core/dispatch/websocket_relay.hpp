#pragma once

#include <Poco/Net/WebSocket.h>

#include <memory>
#include <optional>

#include "core/dispatch/dispatch_metrics.hpp"
#include "core/dispatch/key_sockets.hpp"
#include "core/dispatch/quota_presenter.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "core/dispatch/stream_cutoff.hpp"
#include "core/dispatch/turn_gate.hpp"
#include "core/dispatch/upstream_envelope.hpp"
#include "core/dispatch/websocket_handshake.hpp"
#include "core/dispatch/websocket_pump.hpp"
#include "core/routing/route_planner.hpp"
#include "core/routing/routing_table.hpp"
#include "core/upstream/connection_pool.hpp"
#include "sluice/sdk/exchange.hpp"
#include "sluice/sdk/gateway.hpp"
#include "sluice/sdk/logger.hpp"

namespace sluice::core::dispatch {

/// An upstream websocket and the answer that opened it.
struct UpstreamSocket {
    upstream::UpstreamConnectionPtr connection;  ///< owns the session the websocket took over
    std::unique_ptr<Poco::Net::WebSocket> socket;
    sdk::Headers headers;  ///< of the 101 answer
};

/// How one failed upstream upgrade counts.
struct UpgradeFailure {
    std::string reason;    ///< the attempt's reason in the trace
    int status = 0;        ///< the upstream's answer; 0 when none came
    bool refused = false;  ///< the upstream serves no websockets here: the client should use HTTP
    bool account_fault = false;  ///< counts against the account (circuit, failure streak)
};

class WebSocketContinuity;

/// Relays the Responses websocket transport. The client's handshake is checked first; then the
/// upstream socket is opened, so a refused or failed upgrade can fail over to another account
/// (or be answered with a plain HTTP error) before the client's upgrade is accepted. Messages
/// then pass both ways on the request thread (see WebSocketPump), each turn admitted by the
/// TurnGate and the key checked again. An aged upstream socket is replaced on the same account
/// between turns (WebSocketContinuity); the client's socket stays.
class WebSocketRelay final {
public:
    /// `limits` bound every message and upstream socket's age; `cutoff` ends open relays at
    /// shutdown (close 1001).
    WebSocketRelay(routing::RoutingTable& routing, routing::RoutePlanner& planner,
                   routing::AffinityTable& response_owners, upstream::ConnectionPool& connections,
                   const UpstreamEnvelope& envelope, DispatchMetrics& metrics,
                   KeySockets& key_sockets, const QuotaPresenter& quota, StreamCutoff& cutoff,
                   const WebSocketLimits& limits, const sdk::Clock& clock, sdk::Logger& logger)
        : routing_(routing),
          planner_(planner),
          response_owners_(response_owners),
          connections_(connections),
          envelope_(envelope),
          metrics_(metrics),
          key_sockets_(key_sockets),
          quota_(quota),
          cutoff_(cutoff),
          limits_(limits),
          clock_(clock),
          logger_(logger) {}

    /// `client_upgrade` answers the client's upgrade (101) once an upstream socket is open. Each
    /// turn the client starts passes `turns` first.
    sdk::DispatchOutcome relay(const sdk::Principal& caller, const sdk::DispatchRequest& request,
                               ClientUpgrade& client_upgrade, RoutingTrace& trace, TurnGate& turns);

private:
    /// One upgrade attempt on one account: the socket, or why not (`failure`).
    struct Dialed {
        std::optional<UpstreamSocket> socket;
        std::optional<UpgradeFailure> failure;
        sdk::Headers headers;  ///< of the answer, when one came
        std::chrono::microseconds latency{0};
    };
    Dialed dial(const routing::RoutedAccount& account, const sdk::DispatchRequest& request) const;
    /// Swaps a fresh socket on the same account into `current` (the pump's socket handle sees
    /// it); false, leaving `current`, when the upgrade fails.
    bool replaceUpstream(const routing::RoutedAccount& account, const sdk::DispatchRequest& request,
                         const std::string& turn_state, UpstreamSocket& current, int max_frame);

    /// Tries accounts in plan order until one upstream accepts the upgrade; otherwise fills
    /// `outcome.error` with the client's answer.
    std::optional<UpstreamSocket> openUpstream(const sdk::Principal& caller,
                                               const sdk::DispatchRequest& request,
                                               const routing::PoolRoute& pool,
                                               const routing::RouteQuery& query,
                                               routing::RoutedAccountPtr& account,
                                               RoutingTrace& trace, sdk::DispatchOutcome& outcome);

    /// An upstream event of the open socket: continuity, quota evidence, and the end of the
    /// oldest turn.
    void observeUpstream(std::string_view type, const std::string& payload,
                         const routing::RoutedAccount& account, const std::string& pool,
                         RoutingTrace& trace, WebSocketContinuity& turns);

    routing::RoutingTable& routing_;
    routing::RoutePlanner& planner_;
    routing::AffinityTable& response_owners_;
    upstream::ConnectionPool& connections_;
    const UpstreamEnvelope& envelope_;
    DispatchMetrics& metrics_;
    KeySockets& key_sockets_;
    const QuotaPresenter& quota_;
    StreamCutoff& cutoff_;
    WebSocketLimits limits_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
};

}  // namespace sluice::core::dispatch
