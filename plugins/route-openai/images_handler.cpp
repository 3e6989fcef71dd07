#include "images_handler.hpp"

#include "images_request.hpp"
#include "openai_errors.hpp"
#include "openai_exchange.hpp"

namespace sluice::plugins::route_openai {

void ImagesHandler::generate(sdk::Exchange& exchange) {
    const auto body = readJsonBody(exchange);
    if (!body) {
        return;
    }
    const auto call = translateImageGeneration(*body, context_.config.image_responses_model);
    if (!call.ok()) {
        exchange.response().sendError(call.error());
        return;
    }
    run(exchange, call.value());
}

void ImagesHandler::edit(sdk::Exchange& exchange) {
    const auto form = readForm(exchange);
    if (!form) {
        return;
    }
    std::uint64_t uploaded = 0;
    for (const FormPart& part : form->parts()) {
        uploaded += part.is_file ? part.body.size() : 0;
    }
    if (uploaded > context_.config.max_image_bytes) {
        sdk::ErrorInfo error =
            invalidValue("image", "The images are larger than " +
                                      std::to_string(context_.config.max_image_bytes) + " bytes.");
        error.http_status = 413;
        error.code = "file_too_large";
        exchange.response().sendError(error);
        return;
    }
    const auto call = translateImageEdit(*form, context_.config.image_responses_model);
    if (!call.ok()) {
        exchange.response().sendError(call.error());
        return;
    }
    run(exchange, call.value());
}

void ImagesHandler::run(sdk::Exchange& exchange, const ImageCall& call) {
    const std::string upstream_body =
        call.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    const sdk::DispatchRequest request = turnRequest(context_, exchange, upstream_body,
                                                     context_.config.image_responses_model, false);
    sdk::Headers kept;
    const auto response = collectAnswer(context_, exchange, request, kept);
    if (!response) {
        return;
    }
    const auto images = imagesResponse(*response, call, unixNow(context_));
    if (!images.ok()) {
        exchange.response().sendError(images.error());
        return;
    }
    sendJson(exchange, 200, images.value(), kept);
}

}  // namespace sluice::plugins::route_openai
