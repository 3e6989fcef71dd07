#include "exec_events.hpp"

#include "json_fields.hpp"
#include "sluice/plugins/common/bounded_json.hpp"

namespace sluice::plugins::route_runner {

using json = nlohmann::json;

namespace {

std::uint64_t count(const json& object, const char* key) {
    const auto it = object.find(key);
    return it != object.end() && it->is_number_unsigned() ? it->get<std::uint64_t>() : 0;
}

std::uint64_t minus(std::uint64_t a, std::uint64_t b) {
    return a > b ? a - b : 0;
}

}  // namespace

RunUsage RunUsage::since(const RunUsage& earlier) const noexcept {
    return {minus(input_tokens, earlier.input_tokens),
            minus(cached_input_tokens, earlier.cached_input_tokens),
            minus(cache_write_input_tokens, earlier.cache_write_input_tokens),
            minus(output_tokens, earlier.output_tokens),
            minus(reasoning_output_tokens, earlier.reasoning_output_tokens)};
}

json RunUsage::toJson() const {
    return {{"input_tokens", input_tokens},
            {"cached_input_tokens", cached_input_tokens},
            {"cache_write_input_tokens", cache_write_input_tokens},
            {"output_tokens", output_tokens},
            {"reasoning_output_tokens", reasoning_output_tokens},
            {"total_tokens", total()}};
}

RunUsage RunUsage::fromJson(const json& usage) {
    if (!usage.is_object()) {
        return {};
    }
    return {count(usage, "input_tokens"), count(usage, "cached_input_tokens"),
            count(usage, "cache_write_input_tokens"), count(usage, "output_tokens"),
            count(usage, "reasoning_output_tokens")};
}

void ExecEventParser::feed(std::string_view bytes) {
    partial_.append(bytes);
    std::size_t start = 0;
    for (std::size_t nl = partial_.find('\n'); nl != std::string::npos;
         nl = partial_.find('\n', start)) {
        parseLine(std::string_view(partial_).substr(start, nl - start));
        start = nl + 1;
    }
    partial_.erase(0, start);
    if (partial_.size() > kMaxLineBytes) {
        partial_.clear();  // a line this long is no event of ours
    }
}

void ExecEventParser::finish() {
    if (!partial_.empty()) {
        parseLine(partial_);
        partial_.clear();
    }
}

void ExecEventParser::parseLine(std::string_view line) {
    if (line.empty() || line.front() != '{') {
        return;
    }
    json event = common::parseJson(line);
    if (!event.is_object()) {
        return;
    }
    onEvent(event);
    if (transcript_.events.size() < kMaxEvents) {
        transcript_.events.push_back(std::move(event));
    }
}

void ExecEventParser::onEvent(const json& event) {
    const std::string type = textField(event, "type");
    if (type == "thread.started") {
        transcript_.thread_id = textField(event, "thread_id");
    } else if (type == "item.completed" && event.contains("item") && event["item"].is_object()) {
        onItem(event["item"]);
    } else if (type == "turn.completed") {
        transcript_.completed = true;
        transcript_.usage = RunUsage::fromJson(event.value("usage", json::object()));
    } else if (type == "turn.failed") {
        const json error = event.value("error", json::object());
        transcript_.failure = error.is_object() ? textField(error, "message") : std::string();
    } else if (type.empty() && event.contains("msg") && event["msg"].is_object()) {
        onLegacy(event["msg"]);
    }
}

void ExecEventParser::onItem(const json& item) {
    const std::string type = textField(item, "type");
    if (type == "agent_message") {
        transcript_.output = textField(item, "text");
    } else if (type == "mcp_tool_call" || type == "command_execution") {
        transcript_.tool_calls.push_back(item);
    }
}

void ExecEventParser::onLegacy(const json& msg) {
    const std::string type = textField(msg, "type");
    if (type == "agent_message") {
        transcript_.output = textField(msg, "message");
    } else if (type == "task_complete") {
        transcript_.completed = true;
        if (const std::string last = textField(msg, "last_agent_message"); !last.empty()) {
            transcript_.output = last;
        }
    } else if (type == "session_configured") {
        transcript_.thread_id = textField(msg, "session_id");
    }
}

}  // namespace sluice::plugins::route_runner
