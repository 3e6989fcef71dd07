#include "core/dispatch/websocket_pump.hpp"

#include <Poco/Buffer.h>
#include <Poco/Net/NetException.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "core/upstream/json_scan.hpp"

namespace sluice::core::dispatch {

namespace {

using Poco::Net::WebSocket;
using End = WebSocketPump::End;

constexpr std::chrono::seconds kPollInterval{30};
constexpr std::size_t kMaxCloseReason = 123;  // a close frame's payload is at most 125 bytes

struct EndRule {
    End end;
    std::string_view name;
    std::uint16_t client_code;
    std::uint16_t upstream_code;
    bool traced;  // recorded as the request's error code
};

// The client learns why in the close code; the upstream is only told the gateway goes away.
constexpr std::array<EndRule, 10> kEnds{{
    {End::ClientClosed, "client_closed", WebSocket::WS_NORMAL_CLOSE, WebSocket::WS_NORMAL_CLOSE,
     false},
    {End::UpstreamClosed, "upstream_closed", WebSocket::WS_NORMAL_CLOSE, WebSocket::WS_NORMAL_CLOSE,
     false},
    {End::IdleTimeout, "idle_timeout", WebSocket::WS_ENDPOINT_GOING_AWAY,
     WebSocket::WS_ENDPOINT_GOING_AWAY, true},
    {End::NetworkError, "network_error", WebSocket::WS_ENDPOINT_GOING_AWAY,
     WebSocket::WS_ENDPOINT_GOING_AWAY, true},
    {End::ProtocolError, "protocol_error", WebSocket::WS_PROTOCOL_ERROR,
     WebSocket::WS_ENDPOINT_GOING_AWAY, true},
    {End::MessageTooBig, "message_too_big", WebSocket::WS_PAYLOAD_TOO_BIG,
     WebSocket::WS_ENDPOINT_GOING_AWAY, true},
    {End::KeyRefused, "key_refused", WebSocket::WS_POLICY_VIOLATION,
     WebSocket::WS_ENDPOINT_GOING_AWAY, true},
    {End::MessageTimeout, "message_timeout", WebSocket::WS_POLICY_VIOLATION,
     WebSocket::WS_ENDPOINT_GOING_AWAY, true},
    {End::UpstreamProtocolError, "upstream_protocol_error", WebSocket::WS_UNEXPECTED_CONDITION,
     WebSocket::WS_PROTOCOL_ERROR, true},
    {End::ShuttingDown, "server_shutdown", WebSocket::WS_ENDPOINT_GOING_AWAY,
     WebSocket::WS_ENDPOINT_GOING_AWAY, true},
}};

const EndRule& ruleOf(End end) noexcept {
    return *std::find_if(kEnds.begin(), kEnds.end(),
                         [end](const EndRule& rule) { return rule.end == end; });
}

// The error event a websocket client receives in place of an HTTP error answer.
std::string errorEvent(const sdk::ErrorInfo& error) {
    nlohmann::json event{
        {"type", "error"},
        {"status", error.http_status},
        {"error", {{"type", error.type}, {"code", error.code}, {"message", error.message}}}};
    if (error.retry_after_seconds > 0) {
        event["headers"] = {{"retry-after", std::to_string(error.retry_after_seconds)}};
    }
    return event.dump();
}

bool hasPending(WebSocket& socket) {
    try {
        return socket.available() > 0;
    } catch (...) {
        return false;
    }
}

void closeQuietly(WebSocket& socket, std::uint16_t code, const std::string& reason) noexcept {
    try {
        socket.shutdown(code, reason);
    } catch (...) {
        // The peer is already gone.
    }
}

}  // namespace

std::string_view WebSocketPump::endName(End end) noexcept {
    return ruleOf(end).name;
}

End WebSocketPump::run() {
    End end = End::NetworkError;
    try {
        end = pump();
    } catch (const WebSocketViolation& violation) {
        end = violation.closeCode() == WebSocket::WS_PAYLOAD_TOO_BIG ? End::MessageTooBig
                                                                     : End::ProtocolError;
        close_reason_ = violation.what();
    } catch (const Poco::Net::WebSocketException& e) {
        // Poco refuses a single frame past the cap before reading it.
        end =
            e.code() == WebSocket::WS_ERR_PAYLOAD_TOO_BIG ? End::MessageTooBig : End::NetworkError;
        close_reason_ = end == End::MessageTooBig ? "message too big" : "";
    } catch (const Poco::Exception&) {
        end = End::NetworkError;
    }
    if (!refusal_) {
        // A sweep wakes the relay by shutting the client's read side, which reads as a close.
        refusal_ = watch_.swept();
    }
    if (refusal_) {
        end = End::KeyRefused;
    } else if (cutoff_.isCut()) {
        // So does the shutdown's cutoff, on the upstream's side.
        end = End::ShuttingDown;
        close_reason_ = "the gateway is shutting down";
    }
    close(end);
    if (ruleOf(end).traced) {
        trace_.error_code = std::string(ruleOf(end).name);
    }
    return end;
}

End WebSocketPump::pump() {
    auto idle = std::chrono::seconds(0);
    while (true) {
        // Bytes already buffered (by Poco or TLS) do not wake select(): serve them first.
        Poco::Net::Socket::SocketList readable;
        if (!hasPending(client_) && !hasPending(upstream_)) {
            readable = {client_, upstream_};
            Poco::Net::Socket::SocketList writable;
            Poco::Net::Socket::SocketList failed;
            if (Poco::Net::Socket::select(readable, writable, failed,
                                          Poco::Timespan(kPollInterval.count(), 0)) == 0) {
                idle += kPollInterval;
                if (idle >= kIdleLimit) {
                    return End::IdleTimeout;
                }
                continue;
            }
        }
        idle = std::chrono::seconds(0);
        if (watch_.swept()) {
            return End::KeyRefused;
        }
        for (const bool from_client : {true, false}) {
            WebSocket& source = from_client ? client_ : upstream_;
            if (!hasPending(source) &&
                std::find(readable.begin(), readable.end(), source) == readable.end()) {
                continue;
            }
            if (const auto end = relayOne(from_client)) {
                return *end;
            }
        }
    }
}

std::optional<End> WebSocketPump::relayOne(bool from_client) {
    WebSocket& source = from_client ? client_ : upstream_;
    WebSocket& target = from_client ? upstream_ : client_;
    const End closed = from_client ? End::ClientClosed : End::UpstreamClosed;
    std::optional<WebSocketMessage> message;
    if (const auto end = readMessage(from_client, message)) {
        return end;
    }
    switch (message->opcode) {
        case WebSocket::FRAME_OP_CLOSE:
            return closed;
        case WebSocket::FRAME_OP_PING:
            sendMessage(source, WebSocket::FRAME_OP_PONG, message->payload);
            return {};
        case WebSocket::FRAME_OP_PONG:
            return {};
        default:
            break;
    }
    if (message->opcode == WebSocket::FRAME_OP_TEXT) {
        const std::string_view type =
            upstream::topLevelString(message->payload, "type").value_or("");
        if (from_client && type == "response.create") {
            switch (admitTurn(message->payload)) {
                case Turn::Admitted:
                    break;
                case Turn::Refused:
                    return {};
                case Turn::KeyRefused:
                    return End::KeyRefused;
            }
        } else if (!from_client && !type.empty()) {
            on_upstream_event_(type, message->payload);
        }
    }
    sendMessage(target, message->opcode, message->payload);
    return {};
}

std::optional<End> WebSocketPump::readMessage(bool from_client,
                                              std::optional<WebSocketMessage>& message) {
    WebSocket& source = from_client ? client_ : upstream_;
    MessageAssembler& assembler = from_client ? from_client_ : from_upstream_;
    const auto deadline = std::chrono::steady_clock::now() + message_timeout_;
    try {
        while (!message) {
            if (from_client) {
                // The whole message, not each frame, has a deadline: a client trickling
                // fragments or payload bytes would otherwise hold this thread for good.
                const auto left = std::chrono::duration_cast<std::chrono::microseconds>(
                    deadline - std::chrono::steady_clock::now());
                if (left.count() <= 0) {
                    throw Poco::TimeoutException("websocket message incomplete");
                }
                source.setReceiveTimeout(Poco::Timespan(left.count()));
            }
            Poco::Buffer<char> frame(0);
            int flags = 0;
            const int received = source.receiveFrame(frame, flags);
            if (received == 0 && flags == 0) {
                return from_client ? End::ClientClosed : End::UpstreamClosed;
            }
            message = assembler.add(flags, std::string_view(frame.begin(), frame.size()));
        }
    } catch (const Poco::TimeoutException&) {
        if (!from_client) {
            throw;
        }
        close_reason_ =
            "message not complete within " + std::to_string(message_timeout_.count()) + " ms";
        return End::MessageTimeout;
    } catch (const WebSocketViolation& violation) {
        if (from_client) {
            throw;
        }
        close_reason_ = violation.what();
        return End::UpstreamProtocolError;
    } catch (const Poco::Net::WebSocketException& e) {
        if (from_client || e.code() != WebSocket::WS_ERR_PAYLOAD_TOO_BIG) {
            throw;
        }
        close_reason_ = "upstream message too big";
        return End::UpstreamProtocolError;
    }
    return std::nullopt;
}

WebSocketPump::Turn WebSocketPump::admitTurn(std::string& payload) {
    if (auto refusal = watch_.refusal()) {
        refusal_ = std::move(refusal);
        return Turn::KeyRefused;
    }
    if (const auto refusal = turns_.open(payload)) {
        sendMessage(client_, WebSocket::FRAME_OP_TEXT, errorEvent(*refusal));
        return Turn::Refused;
    }
    if (trace_.model.empty()) {
        trace_.model = std::string(upstream::topLevelString(payload, "model").value_or(""));
    }
    return Turn::Admitted;
}

void WebSocketPump::close(End end) noexcept {
    const EndRule& rule = ruleOf(end);
    std::string reason = close_reason_;
    std::optional<sdk::ErrorInfo> notice = refusal_;
    if (end == End::UpstreamProtocolError) {
        // What the upstream sent is not relayed: the client's turn ends with a typed error.
        notice = sdk::ErrorInfo{502,
                                "server_error",
                                "upstream_protocol_error",
                                "the upstream broke the websocket protocol (" + reason + ")",
                                "",
                                0,
                                ""};
    }
    if (notice) {
        try {
            sendMessage(client_, WebSocket::FRAME_OP_TEXT, errorEvent(*notice));
        } catch (...) {
            // The client is gone; nothing to tell.
        }
        reason = notice->message;
    }
    closeQuietly(client_, rule.client_code, reason.substr(0, kMaxCloseReason));
    closeQuietly(upstream_, rule.upstream_code, "");
}

}  // namespace sluice::core::dispatch
