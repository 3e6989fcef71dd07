#include "chat_stream.hpp"

#include "json_access.hpp"
#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

// An item's id; minimal streams may omit it, and then the call id has to do.
std::string itemKey(const json& item) {
    std::string id = textOf(item, "id");
    return id.empty() ? textOf(item, "call_id") : id;
}

}  // namespace

std::string ChatStreamTranslator::frame(const json& payload) const {
    return "data: " + payload.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

std::string ChatStreamTranslator::emit(json chunk) const {
    if (shape_ == nullptr) {
        return frame(chunk);
    }
    const std::optional<json> shaped = shape_(std::move(chunk));
    return shaped ? frame(*shaped) : std::string();
}

json ChatStreamTranslator::envelope(json choices) const {
    return {{"id", identity_.id},
            {"object", "chat.completion.chunk"},
            {"created", identity_.created},
            {"model", identity_.model},
            {"system_fingerprint", nullptr},
            {"choices", std::move(choices)}};
}

std::string ChatStreamTranslator::chunk(json delta, const json& finish_reason) {
    const auto choice = [](json d, const json& reason) {
        return json::array({{{"index", 0},
                             {"delta", std::move(d)},
                             {"logprobs", nullptr},
                             {"finish_reason", reason}}});
    };
    std::string out;
    if (!role_sent_) {
        role_sent_ = true;
        out += emit(envelope(
            choice({{"role", "assistant"}, {"content", ""}, {"refusal", nullptr}}, nullptr)));
    }
    return out + emit(envelope(choice(std::move(delta), finish_reason)));
}

std::string ChatStreamTranslator::startToolCall(const json& item) {
    ToolCall call;
    call.index = next_call_++;
    call.custom = textOf(item, "type") == "custom_tool_call";
    call.streamed = textOf(item, call.custom ? "input" : "arguments");
    json entry{{"index", call.index},
               {"id", textOf(item, "call_id")},
               {"type", call.custom ? "custom" : "function"}};
    if (call.custom) {
        entry["custom"] = {{"name", textOf(item, "name")}, {"input", call.streamed}};
    } else {
        entry["function"] = {{"name", textOf(item, "name")}, {"arguments", call.streamed}};
    }
    calls_[itemKey(item)] = call;
    return chunk({{"tool_calls", json::array({std::move(entry)})}});
}

std::string ChatStreamTranslator::toolDelta(const ToolCall& call, const std::string& piece) {
    json entry{{"index", call.index}};
    entry[call.custom ? "custom" : "function"] = {{call.custom ? "input" : "arguments", piece}};
    return chunk({{"tool_calls", json::array({std::move(entry)})}});
}

std::string ChatStreamTranslator::finishItem(const json& item) {
    const std::string type = textOf(item, "type");
    const std::string key = itemKey(item);
    if (type == "message") {
        if (streamed_text_.count(key) > 0) {
            return {};
        }
        std::string out;
        const json& content = member(item, "content");
        for (const json& part : content.is_array() ? content : json::array()) {
            const std::string kind = textOf(part, "type");
            if (kind == "output_text" && !textOf(part, "text").empty()) {
                out += chunk({{"content", textOf(part, "text")}});
            } else if (kind == "refusal" && !textOf(part, "refusal").empty()) {
                out += chunk({{"refusal", textOf(part, "refusal")}});
            }
        }
        return out;
    }
    if (type != "function_call" && type != "custom_tool_call") {
        return {};
    }
    const auto known = calls_.find(key);
    if (known == calls_.end()) {
        return startToolCall(item);
    }
    // Only what the deltas have not said yet, when the final value extends them.
    const std::string final_value = textOf(item, known->second.custom ? "input" : "arguments");
    const std::string& streamed = known->second.streamed;
    if (final_value.size() > streamed.size() &&
        final_value.compare(0, streamed.size(), streamed) == 0) {
        const std::string rest = final_value.substr(streamed.size());
        known->second.streamed = final_value;
        return toolDelta(known->second, rest);
    }
    return {};
}

std::string ChatStreamTranslator::finish(const json& response) {
    finished_ = true;
    std::string out = chunk(json::object(), finishReason(response, next_call_ > 0));
    if (include_usage_) {
        json usage = envelope(json::array());
        usage["usage"] = chatUsage(member(response, "usage"));
        out += emit(std::move(usage));
    }
    return out + "data: [DONE]\n\n";
}

std::string ChatStreamTranslator::fail(const sdk::ErrorInfo& error) {
    finished_ = true;
    return frame({{"error",
                   {{"message", error.message},
                    {"type", error.type},
                    {"code", error.code.empty() ? json(nullptr) : json(error.code)},
                    {"param", nullptr}}}});
}

std::string ChatStreamTranslator::onInterrupted(const sdk::ErrorInfo& error) {
    return finished_ ? std::string() : fail(error);
}

std::string ChatStreamTranslator::onEvent(std::string_view type, std::string_view data) {
    if (finished_) {
        return {};
    }
    const json event = parseJson(data);
    if (!event.is_object()) {
        return {};
    }
    if (type == "response.output_text.delta" || type == "response.refusal.delta") {
        const std::string delta = textOf(event, "delta");
        streamed_text_[textOf(event, "item_id")] = true;
        if (delta.empty()) {
            return {};
        }
        return chunk({{type == "response.output_text.delta" ? "content" : "refusal", delta}});
    }
    if (type == "response.output_item.added") {
        const json& item = member(event, "item");
        const std::string item_type = textOf(item, "type");
        if (item_type == "function_call" || item_type == "custom_tool_call") {
            return startToolCall(item);
        }
        return {};
    }
    if (type == "response.function_call_arguments.delta" ||
        type == "response.custom_tool_call_input.delta") {
        const auto call = calls_.find(textOf(event, "item_id"));
        const std::string delta = textOf(event, "delta");
        if (call == calls_.end() || delta.empty()) {
            return {};  // an unannounced call is sent whole when its item is done
        }
        call->second.streamed += delta;
        return toolDelta(call->second, delta);
    }
    if (type == "response.output_item.done") {
        return finishItem(member(event, "item"));
    }
    if (type == "response.completed" || type == "response.done" || type == "response.incomplete") {
        json response = member(event, "response");
        if (type == "response.incomplete" && response.is_object()) {
            response["status"] = "incomplete";
        }
        return finish(response);
    }
    if (type == "response.failed") {
        return fail(failureFromEvent(textOf(member(member(event, "response"), "error"), "code")));
    }
    if (type == "error") {
        const json& error = member(event, "error");
        return fail(
            failureFromEvent(error.is_object() ? textOf(error, "code") : textOf(event, "code")));
    }
    return {};
}

}  // namespace sluice::plugins::route_openai
