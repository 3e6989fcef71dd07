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
        pending_known_ = false;
        return std::nullopt;
    }
    // The client's value is the turn's (the first value of a logical turn wins, §12).
    if (std::string state = stringAt(member(frame, "client_metadata"), kTurnState);
        !state.empty()) {
        turn_state_ = std::move(state);
    }
    replaceIfAged();

    json full_input;
    pending_known_ = track(frame, full_input);
    pending_ = pending_known_ ? std::move(full_input) : json::array();
    pending_bytes_ = pending_known_ ? payload.size() + history_bytes_ : 0;
    const std::string previous = stringAt(frame, "previous_response_id");
    if (previous.empty() || last_generation_ == generation_ || previous != last_response_id_) {
        return std::nullopt;
    }
    // The current socket never saw the response this continues: send the history instead.
    if (!pending_known_) {
        return std::nullopt;  // nothing better to send; the upstream answers for itself
    }
    frame.erase("previous_response_id");
    frame["input"] = pending_;
    std::string rewritten = frame.dump();
    if (rewritten.size() <= max_message_bytes_) {
        payload = std::move(rewritten);
    }
    return std::nullopt;
}

bool WebSocketContinuity::track(const json& frame, json& full_input) const {
    const auto input = frame.find("input");
    if (input == frame.end() || !input->is_array()) {
        return false;
    }
    const std::string previous = stringAt(frame, "previous_response_id");
    if (previous.empty()) {
        full_input = *input;
        return true;
    }
    if (!history_known_ || previous != last_response_id_) {
        return false;
    }
    full_input = history_;
    full_input.insert(full_input.end(), input->begin(), input->end());
    return true;
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

void WebSocketContinuity::close(const sdk::TokenUsage& usage) {
    admission_.close(usage);
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
    if (type == "response.output_item.done" && pending_known_) {
        const json event = security::parseJson(payload);
        const json& item = member(event, "item");
        if (!item.is_object()) {
            pending_known_ = false;
            return;
        }
        pending_bytes_ += payload.size();
        pending_.push_back(item);
        return;
    }
    if (type != "response.completed") {
        return;
    }
    const json event = security::parseJson(payload);
    last_response_id_ = stringAt(member(event, "response"), "id");
    last_generation_ = generation_;
    // A history larger than a message could never be sent again.
    history_known_ = pending_known_ && pending_bytes_ <= max_message_bytes_;
    history_bytes_ = history_known_ ? pending_bytes_ : 0;
    history_ = history_known_ ? std::move(pending_) : json::array();
    pending_ = json::array();
    pending_known_ = false;
}

void WebSocketContinuity::upgradeTurnState(std::string value) {
    if (turn_state_.empty()) {
        turn_state_ = std::move(value);
    }
}

}  // namespace sluice::core::dispatch
