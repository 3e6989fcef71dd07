#pragma once

#include <deque>
#include <string>

#include "core/accounting/request_ledger.hpp"
#include "core/dispatch/turn_gate.hpp"

namespace sluice::core::accounting {

/// The turn gate of a websocket relay that books each turn in the request's ledger as it ends,
/// so a turn is charged like an HTTP request: its model and conversation (the handshake's
/// session, else the turn's `prompt_cache_key`) are read from the `response.create` the wrapped
/// gate admitted, its response id and usage from the upstream's end of it. A prewarm
/// (`"generate": false`) only opens the conversation and is not charged, not even a card's
/// per-call price. Turns end in the order they opened. Request thread only; borrows both.
class BookedTurns final : public dispatch::TurnGate {
public:
    BookedTurns(dispatch::TurnGate& admission, RequestLedger& ledger, std::string session_key)
        : admission_(admission), ledger_(ledger), session_key_(std::move(session_key)) {}

    std::optional<sdk::ErrorInfo> open(std::string& payload) override;
    void close(const dispatch::ResponseCompletion& turn) override;

private:
    struct OpenTurn {
        std::string model;
        std::string conversation_key;
        bool prewarm = false;
    };

    dispatch::TurnGate& admission_;
    RequestLedger& ledger_;
    std::string session_key_;
    std::deque<OpenTurn> open_;
};

}  // namespace sluice::core::accounting
