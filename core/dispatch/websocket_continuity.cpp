#include "core/dispatch/websocket_continuity.hpp"

#include "core/security/bounded_json.hpp"

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

constexpr std::string_view kTurnState = "x-codex-turn-state";

const json& member(const json& object, std::string_view key) {
    static const json kNull;
    if (!object.is_object()) {
        return kNull;
    }
    const auto it = object.find(key);
    return it != object.end() ? *it : kNull;
}

std::string stringAt(const json& object, std::string_view key) {
    const json& value = member(object, key);
    return value.is_string() ? value.get<std::string>() : std::string();
}

}  // namespace

std::optional<sdk::ErrorInfo> WebSocketContinuity::open(std::string& payload) {
    if (auto refusal = admission_.open(payload)) {
        return refusal;
    }
    ++open_turns_;
    json frame = security::parseJson(payload);
    if (!frame.is_object()) {
        pending_.begin(json(), 0);
        return std::nullopt;
    }
    // The client's value is the turn's (the first value of a logical turn wins, §12).
    if (std::string state = stringAt(member(frame, "client_metadata"), kTurnState);
        !state.empty()) {
        turn_state_ = std::move(state);
    }
    replaceIfAged();

    const std::string previous = stringAt(frame, "previous_response_id");
    const bool continues_last = history_known_ && previous == last_response_id_;
    std::optional<json> full_input = continuedInput(frame, continues_last ? &history_ : nullptr);
    pending_.begin(full_input.value_or(json()), payload.size() + history_bytes_);
    if (previous.empty() || last_generation_ == generation_ || previous != last_response_id_) {
        return std::nullopt;
    }
    // The current socket never saw the response this continues: send the history instead.
    if (!full_input) {
        return std::nullopt;  // nothing better to send; the upstream answers for itself
    }
    frame.erase("previous_response_id");
    frame["input"] = std::move(*full_input);
    std::string rewritten = frame.dump();
    if (rewritten.size() <= max_message_bytes_) {
        payload = std::move(rewritten);
    }
    return std::nullopt;
}

void WebSocketContinuity::replaceIfAged() {
    if (open_turns_ != 1 || clock_.steadyNow() - socket_opened_ < max_age_) {
        return;
    }
    if (replace_(turn_state_)) {
        ++generation_;
        socket_opened_ = clock_.steadyNow();
    }
}

void WebSocketContinuity::close(const ResponseCompletion& turn) {
    admission_.close(turn);
    if (open_turns_ > 0) {
        --open_turns_;
    }
}

void WebSocketContinuity::observe(std::string_view type, const std::string& payload) {
    if (type == "response.metadata") {
        const json event = security::parseJson(payload);
        if (std::string state = stringAt(member(event, "metadata"), kTurnState);
            !state.empty() && turn_state_.empty()) {
            turn_state_ = std::move(state);
        }
        return;
    }
    if (type != "response.completed") {
        pending_.observe(type, payload);
        return;
    }
    const json event = security::parseJson(payload);
    last_response_id_ = stringAt(member(event, "response"), "id");
    last_generation_ = generation_;
    // The recorder's bound is a message's: a larger history could never be sent again.
    std::size_t bytes = 0;
    std::optional<json> history = pending_.finish(bytes);
    history_known_ = history.has_value();
    history_bytes_ = history_known_ ? bytes : 0;
    history_ = history_known_ ? std::move(*history) : json::array();
}

void WebSocketContinuity::upgradeTurnState(std::string value) {
    if (turn_state_.empty()) {
        turn_state_ = std::move(value);
    }
}

}  // namespace sluice::core::dispatch
