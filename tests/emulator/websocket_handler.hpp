#pragma once

#include <Poco/Net/WebSocket.h>

#include <cstddef>
#include <string>
#include <unordered_map>

#include "tests/emulator/event_sink.hpp"
#include "tests/emulator/guarded_handler.hpp"

namespace sluice::emulator {

/// GET /backend-api/codex/responses with `Upgrade: websocket` (§4): refused with 426 or accepted
/// per account; then one text frame per Responses event. Tracks previous_response_id for the
/// connection, since clients send only the new input items. Holds its thread for the lifetime
/// of the connection.
class WebSocketHandler final : public GuardedHandler {
public:
    explicit WebSocketHandler(EmulatorContext& context) : GuardedHandler(context) {}

protected:
    void serve(Poco::Net::HTTPServerRequest& request,
               Poco::Net::HTTPServerResponse& response) override;

private:
    enum class Next { kContinue, kClose };

    void converse(Poco::Net::WebSocket& socket, Account& account, const RecordedRequest& upgrade);
    Next onMessage(Poco::Net::WebSocket& socket, Account& account, const RecordedRequest& upgrade,
                   const std::string& text);
    static bool sendEvent(Poco::Net::WebSocket& socket, const EventJson& event);
    void sendError(Poco::Net::WebSocket& socket, int status, nlohmann::json error,
                   const AccountSpec* profile);
    /// The server's websocket_max_age has passed: the backend's cap error, then a close.
    void endAtMaxAge(Poco::Net::WebSocket& socket);

    /// Response id -> number of history items the server holds after that response.
    std::unordered_map<std::string, std::size_t> history_;
};

}  // namespace sluice::emulator
