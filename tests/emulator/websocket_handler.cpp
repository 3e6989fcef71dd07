#include "tests/emulator/websocket_handler.hpp"

#include <Poco/Buffer.h>
#include <Poco/Net/NetException.h>

#include "tests/emulator/error_replies.hpp"
#include "tests/emulator/http_util.hpp"
#include "tests/emulator/rate_limit_views.hpp"
#include "tests/emulator/response_generator.hpp"
#include "tests/emulator/turn_request.hpp"

namespace sluice::emulator {
namespace {

using Poco::Net::WebSocket;

// Short polls keep a server stop noticed quickly; the timeout bounds a stalled peer.
const Poco::Timespan kPollInterval(0, 200 * 1000);
const Poco::Timespan kSocketTimeout(30, 0);

class WebSocketSink final : public EventSink {
public:
    explicit WebSocketSink(WebSocket& socket) : socket_(socket) {}
    bool emit(const EventJson& event) override {
        const auto text = event.dump();
        try {
            socket_.sendFrame(text.data(), static_cast<int>(text.size()), WebSocket::FRAME_TEXT);
            return true;
        } catch (const Poco::Exception&) {
            return false;
        }
    }

private:
    WebSocket& socket_;
};

/// Drops the TCP connection without a close frame: what a cut upstream looks like.
void dropConnection(WebSocket& socket) {
    try {
        socket.impl()->shutdown();
    } catch (const Poco::Exception&) {
    }
}

}  // namespace

void WebSocketHandler::serve(Poco::Net::HTTPServerRequest& request,
                             Poco::Net::HTTPServerResponse& response) {
    auto record = startRecord(request);
    record.transport = "websocket";
    const auto account = authenticate(request, response, record);
    if (!account)
        return;
    account->countRequest();
    const auto profile = account->profile();
    if (!profile->websocket) {
        // Codex falls back to HTTP SSE for the session on any failed upgrade (§4).
        return reject(response, std::move(record), 426, "websocket_not_supported",
                      "this account does not accept websocket responses");
    }
    if (profile->rate_limits.on_upgrade)
        addRateLimitHeaders(response, *profile, context_.clock());
    if (!profile->turn_state_in_frames) {
        response.set("x-codex-turn-state",
                     request.get("x-codex-turn-state", context_.nextId("turnstate")));
    }
    std::optional<WebSocket> socket;
    try {
        socket.emplace(request, response);
    } catch (const Poco::Net::WebSocketException& e) {
        if (!response.sent()) {
            return reject(response, std::move(record), 400, "bad_websocket_handshake",
                          e.displayText());
        }
        return;
    }
    auto upgrade = record;
    record.status = 101;
    record.outcome = "upgraded";
    context_.recorder.record(std::move(record));
    converse(*socket, *account, upgrade);
}

void WebSocketHandler::converse(WebSocket& socket, Account& account,
                                const RecordedRequest& upgrade) {
    socket.setMaxPayloadSize(static_cast<int>(kMaxBodyBytes));
    socket.setSendTimeout(kSocketTimeout);
    socket.setReceiveTimeout(kSocketTimeout);
    Poco::Buffer<char> frame(0);
    std::string message;
    const auto opened = std::chrono::steady_clock::now();
    const auto max_age = context_.script.server.websocket_max_age;
    while (!context_.stop.stopped()) {
        if (max_age.count() > 0 && std::chrono::steady_clock::now() - opened >= max_age) {
            return endAtMaxAge(socket);
        }
        try {
            if (!socket.poll(kPollInterval, Poco::Net::Socket::SELECT_READ))
                continue;
            int flags = 0;
            frame.resize(0);
            const int received = socket.receiveFrame(frame, flags);
            const int opcode = flags & WebSocket::FRAME_OP_BITMASK;
            if (received == 0 && flags == 0)
                return;  // TCP closed
            if (opcode == WebSocket::FRAME_OP_CLOSE) {
                socket.shutdown();
                return;
            }
            if (opcode == WebSocket::FRAME_OP_PING) {
                socket.sendFrame(frame.begin(), received,
                                 static_cast<int>(WebSocket::FRAME_FLAG_FIN) |
                                     static_cast<int>(WebSocket::FRAME_OP_PONG));
                continue;
            }
            if (opcode == WebSocket::FRAME_OP_PONG)
                continue;
            if (opcode == WebSocket::FRAME_OP_BINARY) {
                sendError(socket, 400,
                          errorBody("invalid_request_error", "unsupported_frame",
                                    "binary frames are not supported")["error"],
                          nullptr);
                continue;
            }
            message.append(frame.begin(), static_cast<std::size_t>(received));
            if ((flags & WebSocket::FRAME_FLAG_FIN) == 0)
                continue;  // more fragments follow
            const auto next = onMessage(socket, account, upgrade, message);
            message.clear();
            if (next == Next::kClose)
                return;
        } catch (const Poco::TimeoutException&) {
            continue;
        } catch (const Poco::Exception&) {
            return;  // the peer is gone or spoke broken websocket; either way we are done
        }
    }
    try {
        socket.shutdown(WebSocket::WS_ENDPOINT_GOING_AWAY);
    } catch (const Poco::Exception&) {
    }
}

WebSocketHandler::Next WebSocketHandler::onMessage(WebSocket& socket, Account& account,
                                                   const RecordedRequest& upgrade,
                                                   const std::string& text) {
    const auto message = nlohmann::json::parse(text, nullptr, false);
    const auto type = message.is_object() ? message.value("type", "") : std::string();
    auto record = upgrade;
    record.method = "WS";
    record.body_bytes = text.size();
    if (type == "response.processed" || type == "response.interrupt") {
        // A client acknowledgement, or a request to stop a response that has already ended
        // here (answers are streamed whole): recorded, never an error.
        record.status = 200;
        record.outcome = type == "response.processed" ? "processed" : "interrupt";
        context_.recorder.record(std::move(record));
        return Next::kContinue;
    }
    const auto fail = [&](int status, const char* code, const std::string& why) {
        record.status = status;
        record.outcome = code;
        context_.recorder.record(record);
        sendError(socket, status, errorBody("invalid_request_error", code, why)["error"], nullptr);
        return Next::kContinue;
    };
    if (type != "response.create") {
        return fail(400, "unsupported_event", "expected a response.create message");
    }
    std::string error;
    const auto turn = parseTurnRequest(message, error);
    if (!turn)
        return fail(400, "invalid_request", error);
    account.countRequest();
    record.model = turn->model;
    record.input_items = turn->input_items;
    record.last_input_type = turn->last_input_type;
    record.stream = turn->stream;
    record.generate = turn->generate;
    record.previous_response_id = turn->previous_response_id;
    record.reasoning_effort = turn->reasoning_effort;
    record.has_function_call_output = turn->has_function_call_output;
    record.request_kind = turn->request_kind;
    record.turn_state = turn->turn_state;

    std::size_t known_items = 0;
    if (turn->previous_response_id) {
        const auto previous = history_.find(*turn->previous_response_id);
        if (previous == history_.end()) {
            return fail(
                400, "previous_response_not_found",
                "Previous response with id '" + *turn->previous_response_id + "' not found.");
        }
        known_items = previous->second;
    }
    record.history_items = known_items + turn->input_items;

    const auto profile = account.profile();
    const auto behaviour = account.takeBehaviour(*profile);
    const auto reply = errorReplyFor(behaviour, *profile, context_.clock());
    record.status = reply ? reply->status : 200;
    record.outcome = std::string(modeName(behaviour.mode));
    context_.recorder.record(std::move(record));

    if (behaviour.delay.count() > 0 && !context_.stop.waitFor(behaviour.delay)) {
        return Next::kClose;
    }
    if (behaviour.mode == Mode::kHang) {
        // Nothing more is read or sent: the client's idle timeout has to notice.
        const auto deadline = std::chrono::steady_clock::now() + behaviour.hang_for;
        while (!context_.stop.stopped() &&
               (behaviour.hang_for.count() == 0 || std::chrono::steady_clock::now() < deadline)) {
            context_.stop.waitFor(std::chrono::milliseconds(100));
        }
        dropConnection(socket);
        return Next::kClose;
    }
    if (reply) {
        sendError(socket, reply->status, reply->body["error"],
                  reply->status == 401 ? nullptr : profile.get());
        return Next::kContinue;
    }

    const auto scenario = chooseScenario(*turn, behaviour.mode);
    ResponseGenerator generator(
        scenario, behaviour,
        {context_.nextId("resp"), context_.nextId(itemPrefix(scenario)), context_.nextId("call")},
        turn->model, context_.clock());
    if (profile->rate_limits.stream_event && scenario != Scenario::kPrewarm) {
        generator.setRateLimitsEvent(rateLimitsEvent(*profile));
    }
    WebSocketSink sink(socket);
    if (profile->turn_state_in_frames) {
        // The first value of a logical turn wins: the client's, else a fresh one (§12).
        sink.emit(
            {{"type", "response.metadata"},
             {"metadata",
              {{"x-codex-turn-state", turn->turn_state.value_or(context_.nextId("turnstate"))}}}});
    }
    if (behaviour.mode == Mode::kFailFirstEvent) {
        sink.emit(
            generator.failedEvent(defaultErrorCode(behaviour), behaviour.error_message.empty()
                                                                   ? "The server is overloaded."
                                                                   : behaviour.error_message));
        return Next::kContinue;
    }
    PacedSink paced(
        sink, behaviour.event_delay,
        behaviour.mode == Mode::kCut ? std::optional(behaviour.cut_after) : std::nullopt,
        context_.stop);
    if (!generator.stream(paced)) {
        if (paced.cut())
            dropConnection(socket);
        return Next::kClose;
    }
    const std::size_t produced = scenario == Scenario::kPrewarm ? 0 : 1;
    history_[generator.ids().response] = known_items + turn->input_items + produced;
    return Next::kContinue;
}

bool WebSocketHandler::sendEvent(WebSocket& socket, const EventJson& event) {
    WebSocketSink sink(socket);
    return sink.emit(event);
}

void WebSocketHandler::endAtMaxAge(WebSocket& socket) {
    sendError(socket, 400,
              errorBody("invalid_request_error", "websocket_connection_limit_reached",
                        "Responses websocket connection limit reached. Create a new websocket "
                        "connection to continue.")["error"],
              nullptr);
    try {
        socket.shutdown(WebSocket::WS_NORMAL_CLOSE);
    } catch (const Poco::Exception&) {
    }
}

void WebSocketHandler::sendError(WebSocket& socket, int status, nlohmann::json error,
                                 const AccountSpec* profile) {
    EventJson event = {{"type", "error"}, {"status", status}, {"error", EventJson(error)}};
    if (profile != nullptr) {
        Poco::Net::HTTPResponse carrier;
        addRateLimitHeaders(carrier, *profile, context_.clock());
        auto headers = EventJson::object();
        for (const auto& [name, value] : carrier)
            headers[name] = value;
        event["headers"] = std::move(headers);
    }
    sendEvent(socket, event);
}

}  // namespace sluice::emulator
