#include "images_request.hpp"

#include <gtest/gtest.h>

namespace sluice::plugins::route_openai {
namespace {

using json = nlohmann::json;

TEST(ImageGeneration, BecomesAResponsesCallForcedOntoTheImageTool) {
    const auto call = translateImageGeneration({{"model", "gpt-image-1.5"},
                                                {"prompt", "a red fox"},
                                                {"size", "1536x1024"},
                                                {"n", 1},
                                                {"output_compression", 80},
                                                {"output_format", "webp"},
                                                {"user", "u1"},
                                                {"response_format", "b64_json"}},
                                               "gpt-5.5");
    ASSERT_TRUE(call.ok()) << call.error().message;
    const json& body = call.value().body;
    EXPECT_EQ(body["model"], "gpt-5.5");
    EXPECT_EQ(body["stream"], true);
    EXPECT_EQ(body["store"], false);
    EXPECT_EQ(body["tool_choice"], json({{"type", "image_generation"}}));
    EXPECT_EQ(body["tools"], json::array({{{"type", "image_generation"},
                                           {"model", "gpt-image-1.5"},
                                           {"size", "1536x1024"},
                                           {"quality", "auto"},
                                           {"output_compression", 80},
                                           {"output_format", "webp"}}}));
    EXPECT_EQ(body["input"][0]["content"],
              json::array({{{"type", "input_text"}, {"text", "a red fox"}}}));
    EXPECT_EQ(call.value().image_model, "gpt-image-1.5");
}

TEST(ImageGeneration, RefusesWhatOneToolCallCannotDo) {
    const auto refused = [](json request) {
        request["prompt"] = "x";
        const auto call = translateImageGeneration(request, "gpt-5.5");
        return call.ok() ? std::string("accepted") : call.error().code + ":" + call.error().param;
    };
    EXPECT_EQ(refused({{"n", 2}}), "unsupported_value:n");
    EXPECT_EQ(refused({{"response_format", "url"}}), "unsupported_value:response_format");
    EXPECT_EQ(refused({{"stream", true}}), "unsupported_value:stream");
    EXPECT_EQ(refused({{"model", "dall-e-3"}}), "model_not_available:model");
    EXPECT_EQ(refused({{"style", "vivid"}}), "unsupported_parameter:style");
    EXPECT_EQ(refused({{"output_compression", 101}}), "invalid_value:output_compression");
    EXPECT_EQ(refused({{"input_fidelity", "high"}}), "unsupported_parameter:input_fidelity")
        << "only edits take input images";
    const auto missing = translateImageGeneration({{"model", "gpt-image-1"}}, "gpt-5.5");
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().code, "missing_required_parameter");
}

TEST(ImageEdit, SendsTheImagesAsDataUrlsAndTheMaskToTheTool) {
    const std::string body =
        "--b\r\nContent-Disposition: form-data; name=\"image[]\"; "
        "filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n"
        "PNG1\r\n--b\r\nContent-Disposition: form-data; name=\"image[]\"; filename=\"b.jpg\"\r\n"
        "Content-Type: image/jpeg\r\n\r\nJPG\r\n--b\r\nContent-Disposition: form-data; "
        "name=\"mask\"; "
        "filename=\"m.png\"\r\n\r\nM\r\n--b\r\nContent-Disposition: form-data; "
        "name=\"prompt\"\r\n\r\nadd a hat\r\n"
        "--b\r\nContent-Disposition: form-data; name=\"input_fidelity\"\r\n\r\nhigh\r\n--b\r\n"
        "Content-Disposition: form-data; name=\"n\"\r\n\r\n1\r\n--b--\r\n";
    const auto form = MultipartForm::parse("multipart/form-data; boundary=b", body);
    ASSERT_TRUE(form.ok());
    const auto call = translateImageEdit(form.value(), "gpt-5.5");
    ASSERT_TRUE(call.ok()) << call.error().message;
    const json& content = call.value().body["input"][0]["content"];
    ASSERT_EQ(content.size(), 3u);
    EXPECT_EQ(content[0], json({{"type", "input_text"}, {"text", "add a hat"}}));
    EXPECT_EQ(content[1]["image_url"], "data:image/png;base64,UE5HMQ==");
    EXPECT_EQ(content[2]["image_url"], "data:image/jpeg;base64,SlBH");
    const json& tool = call.value().body["tools"][0];
    EXPECT_EQ(tool["input_fidelity"], "high");
    EXPECT_EQ(tool["input_image_mask"]["image_url"], "data:image/png;base64,TQ==");
}

TEST(ImagesResponse, ReassemblesTheImageItems) {
    ImageCall call;
    call.tool = {{"type", "image_generation"}, {"size", "auto"}, {"quality", "auto"}};
    const json response{
        {"output", json::array({{{"type", "reasoning"}},
                                {{"type", "image_generation_call"},
                                 {"status", "completed"},
                                 {"result", "iVBORw0KGgo="},
                                 {"revised_prompt", "A fox."},
                                 {"size", "1024x1024"},
                                 {"output_format", "png"}}})},
        {"usage", {{"input_tokens", 10}, {"output_tokens", 20}, {"total_tokens", 30}}}};
    const auto images = imagesResponse(response, call, 1700000000);
    ASSERT_TRUE(images.ok());
    EXPECT_EQ(
        images.value(),
        json({{"created", 1700000000},
              {"data", json::array({{{"b64_json", "iVBORw0KGgo="}, {"revised_prompt", "A fox."}}})},
              {"size", "1024x1024"},
              {"quality", "auto"},
              {"output_format", "png"},
              {"usage", {{"input_tokens", 10}, {"output_tokens", 20}, {"total_tokens", 30}}}}));
    const auto none = imagesResponse({{"output", json::array({{{"type", "message"}}})}}, call, 1);
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().http_status, 502);
    EXPECT_EQ(none.error().code, "image_generation_failed");
}

}  // namespace
}  // namespace sluice::plugins::route_openai
