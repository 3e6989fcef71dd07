#pragma once

#include <Poco/Net/WebSocket.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/dispatch/key_sockets.hpp"
#include "core/dispatch/routing_trace.hpp"
#include "core/dispatch/stream_cutoff.hpp"
#include "core/dispatch/turn_gate.hpp"
#include "core/dispatch/websocket_frames.hpp"

namespace sluice::core::dispatch {

/// What a relayed websocket may send and how long it may take (the server.* settings).
struct WebSocketLimits {
    std::size_t max_message_bytes = 0;  ///< a whole message, fragments joined
    /// From a client message's first byte to its last.
    std::chrono::milliseconds message_timeout{0};
    /// Upstream sockets older than this are replaced at the next turn boundary.
    std::chrono::milliseconds max_age{0};
};

/// Moves messages between an accepted client websocket and its upstream socket on the request
/// thread until either side ends, then closes both with the reason. Each client
/// `response.create` is checked against the key and passes the TurnGate; every upstream event
/// goes to `on_upstream_event`, which may rewrite it before it is forwarded.
class WebSocketPump final {
public:
    static constexpr std::chrono::minutes kIdleLimit{30};

    /// How the relay ended; see kEnds in the source for the close codes each sends.
    enum class End {
        ClientClosed,
        UpstreamClosed,
        IdleTimeout,
        NetworkError,
        ProtocolError,   ///< a peer broke RFC 6455 (close 1002)
        MessageTooBig,   ///< past server.max_websocket_message (close 1009)
        KeyRefused,      ///< the key was revoked, paused or rotated (error event, close 1008)
        MessageTimeout,  ///< a client message not whole within its timeout (close 1008)
        UpstreamProtocolError,  ///< the upstream broke RFC 6455 (error event, close 1011)
        ShuttingDown,           ///< the gateway's drain time is up (close 1001)
    };

    /// `type` views `payload`: read it before changing `payload`.
    using UpstreamEvent = std::function<void(std::string_view type, std::string& payload)>;

    /// `cutoff` tells a relay woken by shutdown from an upstream that closed.
    WebSocketPump(Poco::Net::WebSocket& client, Poco::Net::WebSocket& upstream,
                  KeySockets::Watch& watch, TurnGate& turns, const WebSocketLimits& limits,
                  const StreamCutoff& cutoff, RoutingTrace& trace, UpstreamEvent on_upstream_event)
        : client_(client),
          upstream_(upstream),
          watch_(watch),
          turns_(turns),
          message_timeout_(limits.message_timeout),
          cutoff_(cutoff),
          from_client_(limits.max_message_bytes),
          from_upstream_(limits.max_message_bytes),
          trace_(trace),
          on_upstream_event_(std::move(on_upstream_event)) {}

    /// Relays until the end, closes both sockets and returns why; the trace's error code is set
    /// for every end but a peer's close.
    End run();

    /// The trace code of an end ("client_closed", "protocol_error", ...).
    static std::string_view endName(End end) noexcept;

private:
    enum class Turn { Admitted, Refused, KeyRefused };

    End pump();
    /// One message read from `from_client` ? client : upstream and forwarded; an end, or none.
    std::optional<End> relayOne(bool from_client);
    /// Reads frames from `source` until a message (or control frame) is whole; a client's
    /// message must be whole within the message timeout.
    std::optional<End> readMessage(bool from_client, std::optional<WebSocketMessage>& message);
    /// A client `response.create`: refused turns get an error event and are not forwarded.
    Turn admitTurn(std::string& payload);
    void close(End end) noexcept;

    Poco::Net::WebSocket& client_;
    Poco::Net::WebSocket& upstream_;
    KeySockets::Watch& watch_;
    TurnGate& turns_;
    std::chrono::milliseconds message_timeout_;
    const StreamCutoff& cutoff_;
    MessageAssembler from_client_;
    MessageAssembler from_upstream_;
    RoutingTrace& trace_;
    UpstreamEvent on_upstream_event_;
    std::string close_reason_;               // of a violation
    std::optional<sdk::ErrorInfo> refusal_;  // of the key, sent as an error event before the close
};

}  // namespace sluice::core::dispatch
