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
#include "core/dispatch/turn_gate.hpp"
#include "core/dispatch/websocket_frames.hpp"

namespace sluice::core::dispatch {

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
        ProtocolError,  ///< a peer broke RFC 6455 (close 1002)
        MessageTooBig,  ///< past server.max_websocket_message (close 1009)
        KeyRefused,     ///< the key was revoked, paused or rotated (error event, close 1008)
    };

    /// `type` views `payload`: read it before changing `payload`.
    using UpstreamEvent = std::function<void(std::string_view type, std::string& payload)>;

    WebSocketPump(Poco::Net::WebSocket& client, Poco::Net::WebSocket& upstream,
                  KeySockets::Watch& watch, TurnGate& turns, std::size_t max_message_bytes,
                  RoutingTrace& trace, UpstreamEvent on_upstream_event)
        : client_(client),
          upstream_(upstream),
          watch_(watch),
          turns_(turns),
          from_client_(max_message_bytes),
          from_upstream_(max_message_bytes),
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
    /// A client `response.create`: refused turns get an error event and are not forwarded.
    Turn admitTurn(std::string& payload);
    void close(End end) noexcept;

    Poco::Net::WebSocket& client_;
    Poco::Net::WebSocket& upstream_;
    KeySockets::Watch& watch_;
    TurnGate& turns_;
    MessageAssembler from_client_;
    MessageAssembler from_upstream_;
    RoutingTrace& trace_;
    UpstreamEvent on_upstream_event_;
    std::string close_reason_;               // of a violation
    std::optional<sdk::ErrorInfo> refusal_;  // of the key, sent as an error event before the close
};

}  // namespace sluice::core::dispatch
