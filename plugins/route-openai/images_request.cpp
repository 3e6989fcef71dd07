#include "images_request.hpp"

#include <array>
#include <string_view>

#include "base64.hpp"
#include "json_access.hpp"
#include "openai_errors.hpp"
#include "responses_request.hpp"

namespace sluice::plugins::route_openai {

namespace {

using json = nlohmann::json;

constexpr std::array<std::string_view, 4> kImageModels{"gpt-image-1", "gpt-image-1.5",
                                                       "gpt-image-1-mini", "gpt-image-2"};
constexpr const char* kDefaultImageModel = "gpt-image-1";

// Options the image_generation tool takes under the same name (strings unless noted).
constexpr std::array<std::string_view, 6> kToolOptions{
    "size", "quality", "background", "output_format", "moderation", "input_fidelity"};

// Parameters and form fields: where each goes. Anything else is unsupported.
enum class Slot {
    Model,
    Prompt,
    Count,
    ToolOption,
    Compression,
    ResponseFormat,
    Stream,
    Dropped,
    Unknown
};

Slot slotOf(std::string_view name, bool edit) {
    if (name == "model") {
        return Slot::Model;
    }
    if (name == "prompt") {
        return Slot::Prompt;
    }
    if (name == "n") {
        return Slot::Count;
    }
    for (const std::string_view option : kToolOptions) {
        if (option == name && (edit || name != "input_fidelity")) {
            return Slot::ToolOption;
        }
    }
    if (name == "output_compression") {
        return Slot::Compression;
    }
    if (name == "response_format") {
        return Slot::ResponseFormat;
    }
    if (name == "stream") {
        return Slot::Stream;
    }
    if (name == "user") {
        return Slot::Dropped;
    }
    return Slot::Unknown;
}

struct Draft {
    std::string model = kDefaultImageModel;
    std::string prompt;
    json tool = {{"type", "image_generation"}, {"size", "auto"}, {"quality", "auto"}};
};

// Applies one parameter; form fields arrive as text, JSON parameters typed.
std::optional<sdk::ErrorInfo> apply(Draft& draft, const std::string& name, const json& value,
                                    bool edit) {
    const bool text = value.is_string();
    switch (slotOf(name, edit)) {
        case Slot::Model:
            if (!text) {
                return invalidValue(name, "'model' must be a string.");
            }
            draft.model = value.get<std::string>();
            for (const std::string_view known : kImageModels) {
                if (known == draft.model) {
                    return std::nullopt;
                }
            }
            return modelNotAvailable(draft.model);
        case Slot::Prompt:
            if (!text) {
                return invalidValue(name, "'prompt' must be a string.");
            }
            draft.prompt = value.get<std::string>();
            return std::nullopt;
        case Slot::Count:
            if (value != 1 && value != "1") {
                return unsupportedValue(
                    name, "This gateway generates one image per request; 'n' must be 1.");
            }
            return std::nullopt;
        case Slot::ToolOption:
            if (!text) {
                return invalidValue(name, "'" + name + "' must be a string.");
            }
            draft.tool[name] = value;
            return std::nullopt;
        case Slot::Compression: {
            int level = -1;
            if (value.is_number_integer()) {
                level = value.get<int>();
            } else if (text && !value.get_ref<const std::string&>().empty() &&
                       value.get_ref<const std::string&>().size() <= 3 &&
                       value.get_ref<const std::string&>().find_first_not_of("0123456789") ==
                           std::string::npos) {
                level = std::stoi(value.get<std::string>());
            }
            if (level < 0 || level > 100) {
                return invalidValue(name, "'output_compression' must be an integer from 0 to 100.");
            }
            draft.tool[name] = level;
            return std::nullopt;
        }
        case Slot::ResponseFormat:
            if (value != "b64_json") {
                return unsupportedValue(
                    name,
                    "This gateway returns images as base64 only; 'response_format' "
                    "must be 'b64_json'.");
            }
            return std::nullopt;
        case Slot::Stream:
            if (value != false && value != "false") {
                return unsupportedValue(
                    name, "Streaming image generation is not supported by this gateway.");
            }
            return std::nullopt;
        case Slot::Dropped:
            return std::nullopt;
        case Slot::Unknown:
            break;
    }
    return unsupportedParameter(name);
}

ImageCall finish(Draft draft, json content, const std::string& responses_model) {
    content.insert(content.begin(), json{{"type", "input_text"}, {"text", draft.prompt}});
    draft.tool["model"] = draft.model;
    ImageCall call;
    call.image_model = draft.model;
    call.tool = draft.tool;
    call.body = {
        {"model", responses_model},
        {"input",
         json::array({{{"type", "message"}, {"role", "user"}, {"content", std::move(content)}}})},
        {"tools", json::array({draft.tool})},
        {"tool_choice", {{"type", "image_generation"}}},
        {"parallel_tool_calls", false}};
    applyBackendDefaults(call.body);
    return call;
}

std::string dataUrl(const FormPart& part) {
    const std::string type = part.content_type.empty() ? "image/png" : part.content_type;
    return "data:" + type + ";base64," + base64Encode(part.body);
}

}  // namespace

Translated<ImageCall> translateImageGeneration(const json& request,
                                               const std::string& responses_model) {
    if (!request.is_object()) {
        return invalidRequest("The request body must be a JSON object.");
    }
    Draft draft;
    for (const auto& [name, value] : request.items()) {
        if (value.is_null()) {
            continue;
        }
        if (auto error = apply(draft, name, value, false)) {
            return *error;
        }
    }
    if (draft.prompt.empty()) {
        return missingParameter("prompt");
    }
    return finish(std::move(draft), json::array(), responses_model);
}

Translated<ImageCall> translateImageEdit(const MultipartForm& form,
                                         const std::string& responses_model) {
    Draft draft;
    json images = json::array();
    for (const FormPart& part : form.parts()) {
        if (part.name == "image" || part.name == "image[]") {
            if (part.body.empty()) {
                return invalidValue("image", "An 'image' file is empty.");
            }
            images.push_back(
                {{"type", "input_image"}, {"image_url", dataUrl(part)}, {"detail", "auto"}});
        } else if (part.name == "mask") {
            draft.tool["input_image_mask"] = {{"image_url", dataUrl(part)}};
        } else if (part.is_file) {
            return unsupportedParameter(part.name);
        } else if (auto error = apply(draft, part.name, json(std::string(part.body)), true)) {
            return *error;
        }
    }
    if (images.empty()) {
        return missingParameter("image");
    }
    if (draft.prompt.empty()) {
        return missingParameter("prompt");
    }
    return finish(std::move(draft), std::move(images), responses_model);
}

Translated<json> imagesResponse(const json& response, const ImageCall& call, std::int64_t created) {
    json data = json::array();
    json reply{{"created", created}};
    const json& output = member(response, "output");
    for (const json& item : output.is_array() ? output : json::array()) {
        if (textOf(item, "type") != "image_generation_call" || !isString(item, "result")) {
            continue;
        }
        json image{{"b64_json", item["result"]}};
        if (isString(item, "revised_prompt")) {
            image["revised_prompt"] = item["revised_prompt"];
        }
        data.push_back(std::move(image));
        for (const char* key : {"size", "quality", "background", "output_format"}) {
            const std::string value = textOf(item, key, textOf(call.tool, key));
            if (!value.empty()) {
                reply[key] = value;
            }
        }
    }
    if (data.empty()) {
        return upstreamError("image_generation_failed");
    }
    if (!reply.contains("output_format")) {
        reply["output_format"] = "png";
    }
    reply["data"] = std::move(data);
    const json& usage = member(response, "usage");
    if (usage.is_object()) {
        reply["usage"] = {{"input_tokens", countOf(usage, "input_tokens").value_or(0)},
                          {"output_tokens", countOf(usage, "output_tokens").value_or(0)},
                          {"total_tokens", countOf(usage, "total_tokens").value_or(0)}};
    }
    return reply;
}

}  // namespace sluice::plugins::route_openai
