#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "multipart_form.hpp"
#include "translated.hpp"

namespace sluice::plugins::route_openai {

/// An images request turned into one Codex Responses call that must use the
/// image_generation tool (tool_choice forces it).
struct ImageCall {
    nlohmann::json body;      ///< the upstream Responses request
    std::string image_model;  ///< the GPT Image model the tool is asked for
    nlohmann::json tool;      ///< the image_generation tool as sent (size, quality, ...)
};

/// POST /images/generations (JSON). One image per request (n must be 1), base64 output only
/// (response_format b64_json), no partial-image streaming. `responses_model` is the model
/// that runs the tool. Pure.
Translated<ImageCall> translateImageGeneration(const nlohmann::json& request,
                                               const std::string& responses_model);

/// POST /images/edits (multipart): every `image` / `image[]` file becomes an input_image data
/// URL next to the prompt, and a `mask` file the tool's input_image_mask. Pure.
Translated<ImageCall> translateImageEdit(const MultipartForm& form,
                                         const std::string& responses_model);

/// The OpenAI images response ({created, data:[{b64_json, revised_prompt}], size, quality,
/// background, output_format, usage}) from a finished Responses object; a 502
/// image_generation_failed when it holds no finished image_generation_call. Pure.
Translated<nlohmann::json> imagesResponse(const nlohmann::json& response, const ImageCall& call,
                                          std::int64_t created);

}  // namespace sluice::plugins::route_openai
