#include "completion_response.hpp"

#include <string>

#include "json_access.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

// What the client reads as the completion's text: the content, else a refusal's words.
std::string visibleText(const json& message) {
    const std::string content = textOf(message, "content");
    return content.empty() ? textOf(message, "refusal") : content;
}

json textChoice(const json& choice, std::string text) {
    return {{"text", std::move(text)},
            {"index", member(choice, "index").is_number() ? choice["index"] : json(0)},
            {"logprobs", nullptr},
            {"finish_reason", member(choice, "finish_reason")}};
}

}  // namespace

json textCompletion(const json& chat_completion) {
    json choices = json::array();
    const json& chat_choices = member(chat_completion, "choices");
    for (const json& choice : chat_choices.is_array() ? chat_choices : json::array()) {
        choices.push_back(textChoice(choice, visibleText(member(choice, "message"))));
    }
    return {{"id", member(chat_completion, "id")},
            {"object", "text_completion"},
            {"created", member(chat_completion, "created")},
            {"model", member(chat_completion, "model")},
            {"choices", std::move(choices)},
            {"usage", member(chat_completion, "usage")},
            {"system_fingerprint", nullptr}};
}

std::optional<json> textCompletionChunk(json chat_chunk) {
    json choices = json::array();
    const json& chat_choices = member(chat_chunk, "choices");
    for (const json& choice : chat_choices.is_array() ? chat_choices : json::array()) {
        const json& delta = member(choice, "delta");
        const std::string text = visibleText(delta);
        if (text.empty() && member(choice, "finish_reason").is_null()) {
            continue;
        }
        choices.push_back(textChoice(choice, text));
    }
    if (choices.empty() && !chat_chunk.contains("usage")) {
        return std::nullopt;
    }
    chat_chunk["object"] = "text_completion";
    chat_chunk["choices"] = std::move(choices);
    return chat_chunk;
}

}  // namespace sluice::plugins::route_openai
