#include "chat_completion.hpp"

#include "json_access.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

std::uint64_t count(const json& object, const char* key) {
    return countOf(object, key).value_or(0);
}

}  // namespace

json chatUsage(const json& usage) {
    const std::uint64_t input = count(usage, "input_tokens");
    const std::uint64_t output = count(usage, "output_tokens");
    const std::uint64_t total = countOf(usage, "total_tokens").value_or(input + output);
    return {{"prompt_tokens", input},
            {"completion_tokens", output},
            {"total_tokens", total},
            {"prompt_tokens_details",
             {{"cached_tokens", count(member(usage, "input_tokens_details"), "cached_tokens")}}},
            {"completion_tokens_details",
             {{"reasoning_tokens",
               count(member(usage, "output_tokens_details"), "reasoning_tokens")}}}};
}

std::string finishReason(const json& response, bool called_tools) {
    if (textOf(response, "status") == "incomplete") {
        return textOf(member(response, "incomplete_details"), "reason") == "content_filter"
                   ? "content_filter"
                   : "length";
    }
    return called_tools ? "tool_calls" : "stop";
}

json chatCompletion(const json& response, const ChatIdentity& identity) {
    std::string text;
    std::string refusal;
    bool has_text = false;
    json tool_calls = json::array();
    const json& output = member(response, "output");
    for (const json& item : output.is_array() ? output : json::array()) {
        const std::string type = textOf(item, "type");
        if (type == "message") {
            const json& content = member(item, "content");
            for (const json& part : content.is_array() ? content : json::array()) {
                const std::string kind = textOf(part, "type");
                if (kind == "output_text") {
                    text += textOf(part, "text");
                    has_text = true;
                } else if (kind == "refusal") {
                    refusal += textOf(part, "refusal");
                }
            }
        } else if (type == "function_call") {
            tool_calls.push_back(
                {{"id", textOf(item, "call_id")},
                 {"type", "function"},
                 {"function",
                  {{"name", textOf(item, "name")}, {"arguments", textOf(item, "arguments")}}}});
        } else if (type == "custom_tool_call") {
            tool_calls.push_back(
                {{"id", textOf(item, "call_id")},
                 {"type", "custom"},
                 {"custom", {{"name", textOf(item, "name")}, {"input", textOf(item, "input")}}}});
        }
    }
    json message{{"role", "assistant"},
                 {"content",
                  has_text || (tool_calls.empty() && refusal.empty()) ? json(text) : json(nullptr)},
                 {"refusal", refusal.empty() ? json(nullptr) : json(refusal)},
                 {"annotations", json::array()}};
    if (!tool_calls.empty()) {
        message["tool_calls"] = tool_calls;
    }
    return {{"id", identity.id},
            {"object", "chat.completion"},
            {"created", identity.created},
            {"model", identity.model},
            {"choices",
             json::array({{{"index", 0},
                           {"message", std::move(message)},
                           {"logprobs", nullptr},
                           {"finish_reason", finishReason(response, !tool_calls.empty())}}})},
            {"usage", chatUsage(member(response, "usage"))},
            {"system_fingerprint", nullptr}};
}

}  // namespace sluice::plugins::route_openai
