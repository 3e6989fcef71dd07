#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/dispatch/conversation_history.hpp"
#include "core/dispatch/turn_gate.hpp"
#include "sluice/sdk/host_services.hpp"

namespace sluice::core::dispatch {

/// Keeps a relayed Responses websocket conversation independent of the upstream socket that
/// carries it, so that socket can be replaced before the backend's age cap without the client
/// noticing. The backend knows a `previous_response_id` only on the socket that produced it
/// (codex-protocol §4), so this keeps the conversation's history as the upstream saw it (every
/// request's full input, then the response's output items) and, on the first request after a
/// replacement, sends that history in place of the reference. It also follows the turn state in
/// both forms (the 101's x-codex-turn-state, or client_metadata / response.metadata frames, §12)
/// so a replacement socket carries it.
///
/// Wraps the relay's TurnGate; runs on the relay's thread only.
class WebSocketContinuity final : public TurnGate {
public:
    /// Opens a replacement upstream socket carrying `turn_state` (empty when none is known) and
    /// swaps it in for the current one; false when it could not, and the current one stays.
    using Replace = std::function<bool(const std::string& turn_state)>;

    WebSocketContinuity(TurnGate& admission, std::chrono::milliseconds max_age,
                        std::size_t max_message_bytes, const sdk::Clock& clock, Replace replace)
        : admission_(admission),
          max_age_(max_age),
          max_message_bytes_(max_message_bytes),
          clock_(clock),
          replace_(std::move(replace)),
          socket_opened_(clock.steadyNow()),
          pending_(max_message_bytes) {}

    /// Admits the turn, replaces an aged upstream socket first when no other turn is open, and
    /// rewrites a continuation of a response the current socket does not know.
    std::optional<sdk::ErrorInfo> open(std::string& payload) override;
    void close(const ResponseCompletion& turn) override;

    /// An event of the current upstream socket.
    void observe(std::string_view type, const std::string& payload);
    /// The turn state the upstream's 101 answer carried, if any.
    void upgradeTurnState(std::string value);

    std::uint32_t replacements() const noexcept { return generation_; }

private:
    /// Replaces the upstream socket when it is due.
    void replaceIfAged();

    TurnGate& admission_;
    std::chrono::milliseconds max_age_;
    std::size_t max_message_bytes_;
    const sdk::Clock& clock_;
    Replace replace_;
    std::chrono::steady_clock::time_point socket_opened_;
    std::uint32_t generation_ = 0;  ///< upstream sockets replaced so far
    std::uint32_t open_turns_ = 0;
    std::string turn_state_;

    /// The last completed response and the history that continuing it means.
    std::string last_response_id_;
    std::uint32_t last_generation_ = 0;
    nlohmann::json history_ = nlohmann::json::array();
    bool history_known_ = true;  ///< false once the history cannot be replayed (too big, unknown)
    std::size_t history_bytes_ = 0;

    /// The request in flight: its full input and the output items seen so far.
    TurnRecorder pending_;
};

}  // namespace sluice::core::dispatch
