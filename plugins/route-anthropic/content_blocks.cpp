#include "content_blocks.hpp"

#include <string>

#include "anthropic_errors.hpp"
#include "sluice/plugins/common/json_access.hpp"

namespace sluice::plugins::route_anthropic {

namespace {

using common::isString;
using common::textOf;
using json = nlohmann::json;

json textPart(const char* type, const std::string& text) {
    json part{{"type", type}, {"text", text}};
    if (std::string_view(type) == "output_text") {
        part["annotations"] = json::array();
    }
    return part;
}

Translated<json> imagePart(const json& block, const std::string& path) {
    const json source = block.is_object() && block.contains("source") ? block["source"] : json();
    const std::string type = textOf(source, "type");
    if (type == "base64" && isString(source, "media_type") && isString(source, "data")) {
        return json{{"type", "input_image"},
                    {"image_url", "data:" + source["media_type"].get<std::string>() + ";base64," +
                                      source["data"].get<std::string>()},
                    {"detail", "auto"}};
    }
    if (type == "url" && isString(source, "url")) {
        return json{{"type", "input_image"}, {"image_url", source["url"]}, {"detail", "auto"}};
    }
    return invalidRequest(path +
                          ".source: an image needs a base64 source (media_type, data) or "
                          "a url source");
}

// A tool result's content: text as one string, or parts when it holds images.
Translated<json> toolOutput(const json& block, const std::string& path) {
    const std::string prefix =
        block.contains("is_error") && block["is_error"] == true ? "Error: " : "";
    const json content = block.contains("content") ? block["content"] : json();
    if (content.is_null() || content.is_string()) {
        return json(prefix + (content.is_string() ? content.get<std::string>() : ""));
    }
    if (!content.is_array()) {
        return invalidRequest(path + ".content: must be a string or an array of blocks");
    }
    std::string text = prefix;
    json parts = json::array();
    for (std::size_t i = 0; i < content.size(); ++i) {
        const std::string part_path = path + ".content." + std::to_string(i);
        const std::string type = textOf(content[i], "type");
        if (type == "text" && isString(content[i], "text")) {
            text += content[i]["text"].get<std::string>();
        } else if (type == "image") {
            auto image = imagePart(content[i], part_path);
            if (auto* error = std::get_if<sdk::ErrorInfo>(&image)) {
                return *error;
            }
            parts.push_back(std::move(std::get<json>(image)));
        } else if (type == "tool_reference" && isString(content[i], "tool_name")) {
            // A tool search result: every declared tool is already offered to the model.
            text += "Tool available: " + content[i]["tool_name"].get<std::string>() + "\n";
        } else {
            return invalidRequest(
                part_path + ".type: a tool result holds text, image and tool_reference blocks");
        }
    }
    if (parts.empty()) {
        return json(text);
    }
    parts.insert(parts.begin(), json{{"type", "input_text"}, {"text", text}});
    return parts;
}

// Collects one message's blocks into items; text and images gather into a message item that
// is flushed whenever a tool item must come next, so the order of the blocks is kept.
class ItemBuilder final {
public:
    ItemBuilder(json& items, std::string role) : items_(items), role_(std::move(role)) {}

    void addPart(json part) { parts_.push_back(std::move(part)); }
    void addItem(json item) {
        flush();
        items_.push_back(std::move(item));
    }
    void flush() {
        if (!parts_.empty()) {
            items_.push_back(
                {{"type", "message"}, {"role", role_}, {"content", std::move(parts_)}});
            parts_ = json::array();
        }
    }

private:
    json& items_;
    std::string role_;
    json parts_ = json::array();
};

std::optional<sdk::ErrorInfo> userBlock(const json& block, const std::string& path,
                                        ItemBuilder& builder) {
    const std::string type = textOf(block, "type");
    if (type == "text") {
        if (!isString(block, "text")) {
            return invalidRequest(path + ".text: must be a string");
        }
        builder.addPart(textPart("input_text", block["text"].get<std::string>()));
    } else if (type == "image") {
        auto image = imagePart(block, path);
        if (auto* error = std::get_if<sdk::ErrorInfo>(&image)) {
            return *error;
        }
        builder.addPart(std::move(std::get<json>(image)));
    } else if (type == "tool_result") {
        if (!isString(block, "tool_use_id")) {
            return invalidRequest(path + ".tool_use_id: must be a string");
        }
        auto output = toolOutput(block, path);
        if (auto* error = std::get_if<sdk::ErrorInfo>(&output)) {
            return *error;
        }
        builder.addItem({{"type", "function_call_output"},
                         {"call_id", block["tool_use_id"]},
                         {"output", std::move(std::get<json>(output))}});
    } else if (type != "thinking" && type != "redacted_thinking") {
        return invalidRequest(path +
                              ".type: a user message holds text, image and tool_result "
                              "blocks");
    }
    return std::nullopt;
}

std::optional<sdk::ErrorInfo> assistantBlock(const json& block, const std::string& path,
                                             ItemBuilder& builder) {
    const std::string type = textOf(block, "type");
    if (type == "text") {
        if (!isString(block, "text")) {
            return invalidRequest(path + ".text: must be a string");
        }
        if (!block["text"].get_ref<const std::string&>().empty()) {
            builder.addPart(textPart("output_text", block["text"].get<std::string>()));
        }
    } else if (type == "tool_use") {
        if (!isString(block, "id") || !isString(block, "name")) {
            return invalidRequest(path + ": a tool_use block needs a string id and name");
        }
        const json input = block.contains("input") ? block["input"] : json::object();
        builder.addItem(
            {{"type", "function_call"},
             {"call_id", block["id"]},
             {"name", block["name"]},
             {"arguments", input.dump(-1, ' ', false, json::error_handler_t::replace)}});
    } else if (type != "thinking" && type != "redacted_thinking") {
        return invalidRequest(path +
                              ".type: an assistant message holds text, tool_use and "
                              "thinking blocks");
    }
    return std::nullopt;
}

// `system` text: a string or text blocks, as one developer message (null when empty).
Translated<json> systemText(const json& system, const std::string& path) {
    std::string text;
    if (system.is_string()) {
        text = system.get<std::string>();
    } else if (system.is_array()) {
        for (std::size_t i = 0; i < system.size(); ++i) {
            if (textOf(system[i], "type") != "text" || !isString(system[i], "text")) {
                return invalidRequest(path + "." + std::to_string(i) + ": must be a text block");
            }
            if (!text.empty()) {
                text += "\n\n";
            }
            text += system[i]["text"].get<std::string>();
        }
    } else {
        return invalidRequest(path + ": must be a string or an array of text blocks");
    }
    if (text.empty()) {
        return json();
    }
    return json{{"type", "message"},
                {"role", "developer"},
                {"content", json::array({textPart("input_text", text)})}};
}

}  // namespace

Translated<json> translateConversation(const json& messages) {
    if (!messages.is_array() || messages.empty()) {
        return invalidRequest("messages: must be a non-empty array");
    }
    json items = json::array();
    for (std::size_t i = 0; i < messages.size(); ++i) {
        const std::string path = "messages." + std::to_string(i);
        const json& message = messages[i];
        const std::string role = textOf(message, "role");
        const json content = message.contains("content") ? message["content"] : json();
        if (role == "system") {
            // Mid-conversation instructions (Claude Code's per-turn context): a developer message.
            auto system = systemText(content, path + ".content");
            if (auto* error = std::get_if<sdk::ErrorInfo>(&system)) {
                return *error;
            }
            if (!std::get<json>(system).is_null()) {
                items.push_back(std::move(std::get<json>(system)));
            }
            continue;
        }
        if (role != "user" && role != "assistant") {
            return invalidRequest(path + ".role: must be user, assistant or system");
        }
        ItemBuilder builder(items, role);
        if (content.is_string()) {
            if (role == "user" || !content.get_ref<const std::string&>().empty()) {
                builder.addPart(textPart(role == "user" ? "input_text" : "output_text",
                                         content.get<std::string>()));
            }
        } else if (content.is_array()) {
            for (std::size_t b = 0; b < content.size(); ++b) {
                const std::string block_path = path + ".content." + std::to_string(b);
                auto error = role == "user" ? userBlock(content[b], block_path, builder)
                                            : assistantBlock(content[b], block_path, builder);
                if (error) {
                    return *error;
                }
            }
        } else {
            return invalidRequest(path + ".content: must be a string or an array of blocks");
        }
        builder.flush();
    }
    return items;
}

Translated<json> systemMessage(const json& system) {
    return systemText(system, "system");
}

}  // namespace sluice::plugins::route_anthropic
