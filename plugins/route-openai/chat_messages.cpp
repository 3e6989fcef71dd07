#include "chat_messages.hpp"

#include <set>
#include <string>

#include "json_access.hpp"
#include "openai_errors.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

std::string at(const std::string& path, std::size_t index) {
    return path + "[" + std::to_string(index) + "]";
}

json textPart(const char* type, const json& text) {
    return {{"type", type}, {"text", text}};
}

// Keys a message of each role may carry; `name` is accepted and dropped (Responses messages
// have no author names), and so are an assistant message's `annotations`: output metadata that
// clients echo back when they append the completion's message to the conversation.
bool knownKey(const std::string& role, const std::string& key) {
    if (key == "role" || key == "content" || key == "name") {
        return true;
    }
    if (role == "assistant") {
        return key == "tool_calls" || key == "refusal" || key == "audio" || key == "annotations";
    }
    if (role == "tool") {
        return key == "tool_call_id";
    }
    return false;
}

// Text of a content that may only hold text: a string or text parts.
Translated<std::string> plainText(const json& content, const std::string& path) {
    if (content.is_null()) {
        return std::string();
    }
    if (content.is_string()) {
        return content.get<std::string>();
    }
    if (!content.is_array()) {
        return invalidValue(path, "'" + path + "' must be a string or an array of text parts.");
    }
    std::string text;
    for (std::size_t i = 0; i < content.size(); ++i) {
        const json& part = content[i];
        if (textOf(part, "type") != "text" || !isString(part, "text")) {
            return invalidValue(at(path, i), "'" + at(path, i) + "' must be a text part.");
        }
        text += part["text"].get<std::string>();
    }
    return text;
}

Translated<json> userPart(const json& part, const std::string& path) {
    if (!isString(part, "type")) {
        return invalidValue(path, "'" + path + "' must be an object with a string 'type'.");
    }
    const std::string type = part["type"].get<std::string>();
    if (type == "text") {
        if (!isString(part, "text")) {
            return invalidValue(path + ".text", "'" + path + ".text' must be a string.");
        }
        return textPart("input_text", part["text"]);
    }
    if (type == "image_url") {
        const json& image = member(part, "image_url");
        if (!isString(image, "url")) {
            return invalidValue(path + ".image_url.url",
                                "'" + path + ".image_url.url' must be a string.");
        }
        const json detail =
            member(image, "detail").is_null() ? json("auto") : member(image, "detail");
        if (!detail.is_string()) {
            return invalidValue(path + ".image_url.detail",
                                "'" + path + ".image_url.detail' must be a string.");
        }
        return json{{"type", "input_image"}, {"image_url", image["url"]}, {"detail", detail}};
    }
    if (type == "file") {
        const json& file = member(part, "file");
        if (!file.is_object()) {
            return invalidValue(path + ".file", "'" + path + ".file' must be an object.");
        }
        json out{{"type", "input_file"}};
        if (isString(file, "file_id")) {
            out["file_id"] = file["file_id"];
        } else if (isString(file, "file_data")) {
            out["file_data"] = file["file_data"];
            out["filename"] = textOf(file, "filename", "file");
        } else {
            return invalidValue(path + ".file",
                                "'" + path + ".file' needs a 'file_id' or 'file_data'.");
        }
        return out;
    }
    if (type == "input_audio") {
        return unsupportedValue(path + ".type",
                                "Audio input parts are not supported by this gateway.");
    }
    return invalidValue(path + ".type",
                        "'" + path + ".type' must be one of text, image_url, file.");
}

Translated<json> userContent(const json& content, const std::string& path) {
    if (content.is_null() ||
        (content.is_string() && content.get_ref<const std::string&>().empty()) ||
        (content.is_array() && content.empty())) {
        return json::array({textPart("input_text", "")});
    }
    if (content.is_string()) {
        return json::array({textPart("input_text", content)});
    }
    if (!content.is_array()) {
        return invalidValue(path, "'" + path + "' must be a string or an array of parts.");
    }
    json parts = json::array();
    for (std::size_t i = 0; i < content.size(); ++i) {
        auto part = userPart(content[i], at(path, i));
        if (!part.ok()) {
            return part.error();
        }
        parts.push_back(std::move(part).value());
    }
    return parts;
}

Translated<json> assistantContent(const json& message, const std::string& path) {
    json parts = json::array();
    const json& content = member(message, "content");
    if (content.is_string()) {
        if (!content.get_ref<const std::string&>().empty()) {
            parts.push_back(
                {{"type", "output_text"}, {"text", content}, {"annotations", json::array()}});
        }
    } else if (content.is_array()) {
        for (std::size_t i = 0; i < content.size(); ++i) {
            const json& part = content[i];
            const std::string type = textOf(part, "type");
            if (type == "text" && isString(part, "text")) {
                parts.push_back({{"type", "output_text"},
                                 {"text", part["text"]},
                                 {"annotations", json::array()}});
            } else if (type == "refusal" && isString(part, "refusal")) {
                parts.push_back({{"type", "refusal"}, {"refusal", part["refusal"]}});
            } else {
                return invalidValue(
                    at(path + ".content", i),
                    "'" + at(path + ".content", i) + "' must be a text or refusal part.");
            }
        }
    } else if (!content.is_null()) {
        return invalidValue(path + ".content",
                            "'" + path + ".content' must be a string or an array of parts.");
    }
    if (message.contains("refusal") && !message["refusal"].is_null()) {
        if (!message["refusal"].is_string()) {
            return invalidValue(path + ".refusal", "'" + path + ".refusal' must be a string.");
        }
        parts.push_back({{"type", "refusal"}, {"refusal", message["refusal"]}});
    }
    return parts;
}

// One Responses item per tool call; custom calls are remembered so their results get the
// matching output item type.
Translated<json> toolCallItems(const json& calls, const std::string& path,
                               std::set<std::string>& custom_calls) {
    if (!calls.is_array()) {
        return invalidValue(path, "'" + path + "' must be an array.");
    }
    json items = json::array();
    for (std::size_t i = 0; i < calls.size(); ++i) {
        const std::string call_path = at(path, i);
        const json& call = calls[i];
        if (!isString(call, "id")) {
            return invalidValue(call_path + ".id", "'" + call_path + ".id' must be a string.");
        }
        const std::string type = textOf(call, "type", "function");
        if (type == "function") {
            const json& function = member(call, "function");
            if (!isString(function, "name")) {
                return invalidValue(call_path + ".function.name",
                                    "'" + call_path + ".function.name' must be a string.");
            }
            const json arguments = member(function, "arguments").is_null()
                                       ? json("{}")
                                       : member(function, "arguments");
            if (!arguments.is_string()) {
                return invalidValue(call_path + ".function.arguments",
                                    "'" + call_path + ".function.arguments' must be a string.");
            }
            items.push_back({{"type", "function_call"},
                             {"call_id", call["id"]},
                             {"name", function["name"]},
                             {"arguments", arguments}});
        } else if (type == "custom") {
            const json& custom = member(call, "custom");
            if (!isString(custom, "name")) {
                return invalidValue(call_path + ".custom.name",
                                    "'" + call_path + ".custom.name' must be a string.");
            }
            custom_calls.insert(call["id"].get<std::string>());
            items.push_back({{"type", "custom_tool_call"},
                             {"call_id", call["id"]},
                             {"name", custom["name"]},
                             {"input", textOf(custom, "input")}});
        } else {
            return invalidValue(call_path + ".type",
                                "'" + call_path + ".type' must be 'function' or 'custom'.");
        }
    }
    return items;
}

}  // namespace

Translated<json> translateMessages(const json& messages) {
    if (!messages.is_array() || messages.empty()) {
        return invalidValue("messages", "'messages' must be a non-empty array.");
    }
    json items = json::array();
    std::set<std::string> custom_calls;
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const std::string path = at("messages", i);
        const json& message = messages[i];
        if (!isString(message, "role")) {
            return invalidValue(path + ".role", "'" + path + ".role' must be a string.");
        }
        const std::string role = message["role"].get<std::string>();
        if (role == "function") {
            return unsupportedValue(
                path + ".role",
                "Function messages belong to the legacy function-calling API; use tool messages.");
        }
        if (role != "system" && role != "developer" && role != "user" && role != "assistant" &&
            role != "tool") {
            return invalidValue(path + ".role",
                                "'" + path +
                                    ".role' must be one of system, developer, user, "
                                    "assistant, tool.");
        }
        for (const auto& [key, value] : message.items()) {
            if (!knownKey(role, key) && !value.is_null()) {
                return unsupportedParameter(path + "." + key);
            }
        }
        if (role == "system" || role == "developer") {
            auto text = plainText(member(message, "content"), path + ".content");
            if (!text.ok()) {
                return text.error();
            }
            if (!text.value().empty()) {
                items.push_back({{"type", "message"},
                                 {"role", "developer"},
                                 {"content", json::array({textPart("input_text", text.value())})}});
            }
        } else if (role == "user") {
            auto content = userContent(member(message, "content"), path + ".content");
            if (!content.ok()) {
                return content.error();
            }
            items.push_back(
                {{"type", "message"}, {"role", "user"}, {"content", std::move(content).value()}});
        } else if (role == "assistant") {
            if (message.contains("audio") && !message["audio"].is_null()) {
                return unsupportedParameter(path + ".audio");
            }
            auto content = assistantContent(message, path);
            if (!content.ok()) {
                return content.error();
            }
            if (!content.value().empty()) {
                items.push_back({{"type", "message"},
                                 {"role", "assistant"},
                                 {"content", std::move(content).value()}});
            }
            if (message.contains("tool_calls") && !message["tool_calls"].is_null()) {
                auto calls =
                    toolCallItems(message["tool_calls"], path + ".tool_calls", custom_calls);
                if (!calls.ok()) {
                    return calls.error();
                }
                for (json& call : calls.value()) {
                    items.push_back(std::move(call));
                }
            }
        } else {
            if (!isString(message, "tool_call_id")) {
                return invalidValue(path + ".tool_call_id",
                                    "'" + path + ".tool_call_id' must be a string.");
            }
            auto text = plainText(member(message, "content"), path + ".content");
            if (!text.ok()) {
                return text.error();
            }
            const std::string call_id = message["tool_call_id"].get<std::string>();
            items.push_back({{"type", custom_calls.count(call_id) > 0 ? "custom_tool_call_output"
                                                                      : "function_call_output"},
                             {"call_id", call_id},
                             {"output", text.value()}});
        }
    }
    return items;
}

}  // namespace sluice::plugins::route_openai
