#include "core/dispatch/conversation_history.hpp"

#include "core/dispatch/response_completion.hpp"
#include "core/security/bounded_json.hpp"

namespace sluice::core::dispatch {

namespace {

using json = nlohmann::json;

std::string previousOf(const json& request) {
    const auto previous = request.find("previous_response_id");
    return previous != request.end() && previous->is_string() ? previous->get<std::string>()
                                                              : std::string();
}

}  // namespace

std::optional<json> continuedInput(const json& request, const json* history) {
    if (!request.is_object()) {
        return std::nullopt;
    }
    const auto input = request.find("input");
    if (input == request.end() || !input->is_array()) {
        return std::nullopt;
    }
    if (previousOf(request).empty()) {
        return *input;
    }
    if (history == nullptr) {
        return std::nullopt;
    }
    json full = *history;
    full.insert(full.end(), input->begin(), input->end());
    return full;
}

void TurnRecorder::begin(json full_input, std::size_t bytes) {
    known_ = full_input.is_array() && bytes <= max_bytes_;
    items_ = known_ ? std::move(full_input) : json::array();
    bytes_ = known_ ? bytes : 0;
}

void TurnRecorder::addItem(json item, std::size_t bytes) {
    if (!known_) {
        return;
    }
    bytes_ += bytes;
    known_ = item.is_object() && bytes_ <= max_bytes_;
    if (known_) {
        items_.push_back(std::move(item));
    }
}

void TurnRecorder::observe(std::string_view type, std::string_view data) {
    if (type == "response.completed") {
        response_id_ = readCompletion(data).response_id;
        return;
    }
    if (type != "response.output_item.done" || !known_) {
        return;
    }
    json event = security::parseJson(data);
    addItem(event.is_object() && event.contains("item") ? std::move(event["item"]) : json(),
            data.size());
}

void TurnRecorder::observeBody(std::string_view bytes) {
    if (!known_) {
        return;
    }
    if (bytes_ + body_.size() + bytes.size() > max_bytes_) {
        known_ = false;
        body_.clear();
        return;
    }
    body_.append(bytes);
}

std::optional<json> TurnRecorder::finish(std::size_t& bytes) {
    if (known_ && !body_.empty()) {
        json answer = security::parseJson(body_);
        const std::size_t size = body_.size();
        const auto output = answer.is_object() ? answer.find("output") : answer.end();
        if (!answer.is_object() || output == answer.end() || !output->is_array()) {
            known_ = false;
        } else {
            response_id_ = readCompletion(body_).response_id;
            bytes_ += size;
            known_ = bytes_ <= max_bytes_;
            for (json& item : *output) {
                known_ = known_ && item.is_object();
                items_.push_back(std::move(item));
            }
        }
        body_.clear();
    }
    if (!known_) {
        return std::nullopt;
    }
    bytes = bytes_;
    known_ = false;
    return std::move(items_);
}

}  // namespace sluice::core::dispatch
