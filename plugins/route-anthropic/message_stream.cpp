#include "message_stream.hpp"

#include <cstdint>

#include "anthropic_errors.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/json_access.hpp"

namespace sluice::plugins::route_anthropic {

namespace {

using common::member;
using common::textOf;
using json = nlohmann::json;

std::uint64_t count(const json& object, const char* key) {
    return common::countOf(object, key).value_or(0);
}

// Responses usage in Anthropic's terms: input_tokens excludes what the prompt cache served.
json anthropicUsage(const json& usage) {
    const std::uint64_t input = count(usage, "input_tokens");
    const std::uint64_t cached =
        std::min(count(member(usage, "input_tokens_details"), "cached_tokens"), input);
    return {{"input_tokens", input - cached},
            {"cache_creation_input_tokens", 0},
            {"cache_read_input_tokens", cached},
            {"output_tokens", count(usage, "output_tokens")}};
}

std::string textKey(const json& event) {
    return textOf(event, "item_id") + "#" + std::to_string(count(event, "content_index"));
}

}  // namespace

std::string frame(std::string_view type, const json& payload) {
    return "event: " + std::string(type) +
           "\ndata: " + payload.dump(-1, ' ', false, json::error_handler_t::replace) + "\n\n";
}

std::string MessageStream::ping() {
    return frame("ping", {{"type", "ping"}});
}

std::string MessageStream::onEvent(std::string_view type, std::string_view data) {
    if (ended()) {
        return {};
    }
    const json event = common::parseJson(data);
    if (!event.is_object()) {
        return {};
    }
    if (type == "response.created") {
        return open();
    }
    if (type == "response.output_item.added") {
        return itemAdded(member(event, "item"));
    }
    if (type == "response.output_text.delta" || type == "response.refusal.delta") {
        return appendText(textKey(event), textOf(event, "delta"));
    }
    if (type == "response.function_call_arguments.delta") {
        return appendArguments(textOf(event, "item_id"), textOf(event, "delta"));
    }
    if (type == "response.output_item.done") {
        return itemDone(member(event, "item"));
    }
    if (type == "response.completed" || type == "response.incomplete") {
        return finish(member(event, "response"));
    }
    if (type == "response.failed" || type == "error") {
        const json& error = type == "error" ? event : member(member(event, "response"), "error");
        const std::string code = textOf(error, "code");
        return fail(failedResponse(code.empty() ? textOf(error, "type") : code));
    }
    return {};
}

std::string MessageStream::onInterrupted(const sdk::ErrorInfo& error) {
    return ended() ? std::string() : fail(error);
}

std::string MessageStream::open() {
    if (phase_ != Phase::Waiting) {
        return {};
    }
    phase_ = Phase::Open;
    json start = message();
    start["content"] = json::array();
    return frame("message_start", {{"type", "message_start"}, {"message", std::move(start)}}) +
           ping();
}

MessageStream::Block* MessageStream::find(const std::string& key) {
    for (Block& block : blocks_) {
        if (block.key == key) {
            return &block;
        }
    }
    return nullptr;
}

std::string MessageStream::startBlock(std::string key, json content) {
    std::string out = open() + closeOpenBlock();
    open_block_ = blocks_.size();
    json announced = content;
    if (announced.value("type", "") == "tool_use") {
        announced["input"] = json::object();
    } else {
        announced["text"] = "";
    }
    out += frame("content_block_start", {{"type", "content_block_start"},
                                         {"index", *open_block_},
                                         {"content_block", std::move(announced)}});
    blocks_.push_back({std::move(key), std::move(content), "", false, false});
    return out;
}

std::string MessageStream::closeOpenBlock() {
    if (!open_block_) {
        return {};
    }
    Block& block = blocks_[*open_block_];
    block.closed = true;
    if (block.content.value("type", "") == "tool_use") {
        json input = common::parseJson(block.arguments);
        block.content["input"] = input.is_object() ? std::move(input) : json::object();
    }
    const std::size_t index = *open_block_;
    open_block_.reset();
    return frame("content_block_stop", {{"type", "content_block_stop"}, {"index", index}});
}

std::string MessageStream::appendText(const std::string& key, const std::string& piece) {
    std::string out;
    Block* block = find(key);
    if (block == nullptr) {
        out = startBlock(key, {{"type", "text"}, {"text", ""}});
        block = &blocks_.back();
    }
    block->content["text"] = block->content["text"].get<std::string>() + piece;
    if (block->closed || piece.empty()) {
        return out;
    }
    block->streamed = true;
    const std::size_t index = static_cast<std::size_t>(block - blocks_.data());
    return out +
           frame("content_block_delta", {{"type", "content_block_delta"},
                                         {"index", index},
                                         {"delta", {{"type", "text_delta"}, {"text", piece}}}});
}

std::string MessageStream::appendArguments(const std::string& key, const std::string& piece) {
    Block* block = find(key);
    if (block == nullptr || block->closed || piece.empty()) {
        return {};
    }
    block->arguments += piece;
    const std::size_t index = static_cast<std::size_t>(block - blocks_.data());
    if (open_block_ != index) {
        return {};  // interleaved calls: the client sees the whole input when this one closes
    }
    block->streamed = true;
    return frame("content_block_delta",
                 {{"type", "content_block_delta"},
                  {"index", index},
                  {"delta", {{"type", "input_json_delta"}, {"partial_json", piece}}}});
}

std::string MessageStream::itemAdded(const json& item) {
    if (textOf(item, "type") != "function_call") {
        return open();
    }
    return startBlock(textOf(item, "id"), {{"type", "tool_use"},
                                           {"id", textOf(item, "call_id")},
                                           {"name", textOf(item, "name")},
                                           {"input", json::object()}});
}

// The authoritative item: parts or arguments that never arrived as deltas are sent whole.
std::string MessageStream::itemDone(const json& item) {
    const std::string type = textOf(item, "type");
    const std::string id = textOf(item, "id");
    std::string out;
    if (type == "message") {
        const json& parts = member(item, "content");
        for (std::size_t i = 0; parts.is_array() && i < parts.size(); ++i) {
            const std::string key = id + "#" + std::to_string(i);
            const std::string whole =
                textOf(parts[i], textOf(parts[i], "type") == "refusal" ? "refusal" : "text");
            if (find(key) == nullptr && !whole.empty()) {
                out += appendText(key, whole);
            }
        }
    } else if (type == "function_call") {
        if (find(id) == nullptr) {
            out += itemAdded(item);
        }
        Block* block = find(id);
        if (block != nullptr && !block->streamed) {
            out += appendArguments(id, textOf(item, "arguments"));
        }
    } else {
        return out;  // reasoning and other items have no Anthropic block
    }
    const std::string& open_key = open_block_ ? blocks_[*open_block_].key : std::string();
    if (open_key == id || open_key.rfind(id + "#", 0) == 0) {
        out += closeOpenBlock();
    }
    return out;
}

std::string MessageStream::finish(const json& response) {
    std::string out = open() + closeOpenBlock();
    const std::string reason = textOf(member(response, "incomplete_details"), "reason");
    bool tool_use = false;
    for (const Block& block : blocks_) {
        tool_use = tool_use || block.content.value("type", "") == "tool_use";
    }
    stop_reason_ = reason == "max_output_tokens" ? "max_tokens"
                   : reason == "content_filter"  ? "refusal"
                   : tool_use                    ? "tool_use"
                                                 : "end_turn";
    usage_ = anthropicUsage(member(response, "usage"));
    phase_ = Phase::Finished;
    out += frame("message_delta",
                 {{"type", "message_delta"},
                  {"delta", {{"stop_reason", stop_reason_}, {"stop_sequence", nullptr}}},
                  {"usage", usage_}});
    return out + frame("message_stop", {{"type", "message_stop"}});
}

std::string MessageStream::fail(const sdk::ErrorInfo& error) {
    phase_ = Phase::Failed;
    failure_ = error;
    return frame("error", errorBody(toAnthropic(error)));
}

json MessageStream::message() const {
    json content = json::array();
    for (const Block& block : blocks_) {
        content.push_back(block.content);
    }
    return {{"id", id_},
            {"type", "message"},
            {"role", "assistant"},
            {"model", model_},
            {"content", std::move(content)},
            {"stop_reason", stop_reason_},
            {"stop_sequence", nullptr},
            {"usage", usage_.is_null() ? anthropicUsage(json::object()) : usage_}};
}

}  // namespace sluice::plugins::route_anthropic
