#pragma once

#include <Poco/Net/WebSocket.h>

#include <memory>
#include <optional>

#include "core/dispatch/attempt_result.hpp"
#include "core/dispatch/dispatch_metrics.hpp"
#include "core/dispatch/key_sockets.hpp"
#include "core/dispatch/quota_presenter.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "core/dispatch/stream_cutoff.hpp"
#include "core/dispatch/token_renewal.hpp"
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

class WebSocketContinuity;
class FailoverEngine;

/// Relays the Responses websocket transport. The client's handshake is checked first; then the
/// upstream socket is opened by a FailoverEngine walk, so a refused or failed upgrade can fail
/// over to another account (or be answered with a plain HTTP error) before the client's upgrade
/// is accepted; each turn on the open socket is settled by the same engine (strategy feedback
/// included). Messages
/// then pass both ways on the request thread (see WebSocketPump), each turn admitted by the
/// TurnGate and the key checked again. An aged upstream socket is replaced on the same account
/// between turns (WebSocketContinuity); the client's socket stays.
class WebSocketRelay final {
public:
    /// `limits` bound every message and upstream socket's age; `cutoff` ends open relays at
    /// shutdown (close 1001); `answer_deadline` bounds the upgrade's walk over accounts.
    WebSocketRelay(routing::RoutingTable& routing, routing::RoutePlanner& planner,
                   routing::AffinityTable& response_owners, upstream::ConnectionPool& connections,
                   const UpstreamEnvelope& envelope, DispatchMetrics& metrics,
                   TokenRenewal& renewal, KeySockets& key_sockets, const QuotaPresenter& quota,
                   StreamCutoff& cutoff, const WebSocketLimits& limits,
                   std::chrono::milliseconds answer_deadline, const sdk::Clock& clock,
                   sdk::Logger& logger)
        : routing_(routing),
          planner_(planner),
          response_owners_(response_owners),
          connections_(connections),
          envelope_(envelope),
          metrics_(metrics),
          renewal_(renewal),
          key_sockets_(key_sockets),
          quota_(quota),
          cutoff_(cutoff),
          limits_(limits),
          answer_deadline_(answer_deadline),
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
        AttemptResult result;  ///< Completed (status 101), or the failure
        sdk::Headers headers;  ///< of the answer, when one came
    };
    Dialed dial(const routing::RoutedAccount& account, const sdk::DispatchRequest& request) const;
    /// Swaps a fresh socket on the same account into `current` (the pump's socket handle sees
    /// it); false, leaving `current`, when the upgrade fails.
    bool replaceUpstream(const routing::RoutedAccount& account, const sdk::DispatchRequest& request,
                         const std::string& turn_state, UpstreamSocket& current, int max_frame);

    /// Walks `engine`'s accounts until one upstream accepts the upgrade; otherwise fills
    /// `outcome` with the client's answer.
    std::optional<UpstreamSocket> openUpstream(FailoverEngine& engine, const sdk::Principal& caller,
                                               const sdk::DispatchRequest& request,
                                               routing::RoutedAccountPtr& account,
                                               RoutingTrace& trace, sdk::DispatchOutcome& outcome);
    /// The client's answer when no upstream socket opened (`last`: the walk's last failure).
    void unopened(const std::optional<AttemptResult>& last, bool refused,
                  const sdk::Principal& caller, RoutingTrace& trace,
                  sdk::DispatchOutcome& outcome) const;

    /// The open socket's account and how its turns are followed.
    struct OpenSocket {
        const routing::RoutedAccount& account;
        std::string pool;
        RoutingTrace& trace;
        WebSocketContinuity& turns;
        FailoverEngine& engine;
        std::chrono::steady_clock::time_point turn_started;
    };
    /// An upstream event of the open socket: continuity, quota evidence, and the end of the
    /// oldest turn, settled by the engine.
    void observeUpstream(std::string_view type, const std::string& payload, OpenSocket& open);

    routing::RoutingTable& routing_;
    routing::RoutePlanner& planner_;
    routing::AffinityTable& response_owners_;
    upstream::ConnectionPool& connections_;
    const UpstreamEnvelope& envelope_;
    DispatchMetrics& metrics_;
    TokenRenewal& renewal_;
    KeySockets& key_sockets_;
    const QuotaPresenter& quota_;
    StreamCutoff& cutoff_;
    WebSocketLimits limits_;
    std::chrono::milliseconds answer_deadline_;
    const sdk::Clock& clock_;
    sdk::Logger& logger_;
};

}  // namespace sluice::core::dispatch
