#include "response_collector.hpp"

#include <algorithm>

#include "json_access.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

std::string codeOf(const json& error) {
    if (!error.is_object()) {
        return {};
    }
    for (const char* key : {"code", "type"}) {
        if (error.contains(key) && error[key].is_string()) {
            return error[key].get<std::string>();
        }
    }
    return {};
}

}  // namespace

void ResponseCollector::add(std::string_view type, std::string_view data) {
    if (state_ != State::Pending) {
        return;
    }
    const json event = parseJson(data);
    if (!event.is_object()) {
        return;
    }
    if (type == "response.created" || type == "response.in_progress") {
        if (event.contains("response") && event["response"].is_object()) {
            response_ = event["response"];
        }
    } else if (type == "response.output_item.done") {
        if (event.contains("item") && event["item"].is_object()) {
            // An index far past the items seen is bogus; such items are appended instead.
            std::size_t index = next_index_;
            if (const auto given = countOf(event, "output_index");
                given && *given <= next_index_ + 1024) {
                index = static_cast<std::size_t>(*given);
            }
            items_[index] = event["item"];
            next_index_ = std::max(next_index_, index + 1);
        }
    } else if (type == "response.completed" || type == "response.done" ||
               type == "response.incomplete") {
        if (event.contains("response") && event["response"].is_object()) {
            response_ = event["response"];
        }
        state_ = type == "response.incomplete" ? State::Incomplete : State::Completed;
        if (state_ == State::Completed && textOf(response_, "status") == "incomplete") {
            state_ = State::Incomplete;
        }
    } else if (type == "response.failed") {
        state_ = State::Failed;
        if (event.contains("response") && event["response"].is_object()) {
            failure_code_ = codeOf(member(event["response"], "error"));
        }
    } else if (type == "error") {
        state_ = State::Failed;
        failure_code_ = event.contains("error") ? codeOf(event["error"]) : codeOf(event);
    }
}

json ResponseCollector::response() const {
    json response = response_;
    const bool listed =
        response.contains("output") && response["output"].is_array() && !response["output"].empty();
    if (!listed) {
        json output = json::array();
        for (const auto& [index, item] : items_) {
            output.push_back(item);
        }
        response["output"] = std::move(output);
    }
    if (!response.contains("object")) {
        response["object"] = "response";
    }
    if (state_ == State::Completed) {
        response["status"] = "completed";
    } else if (state_ == State::Incomplete) {
        response["status"] = "incomplete";
    }
    return response;
}

}  // namespace sluice::plugins::route_openai
