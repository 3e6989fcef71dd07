#include "models_handler.hpp"

#include "openai_errors.hpp"
#include "openai_exchange.hpp"

namespace sluice::plugins::route_openai {

void ModelsHandler::list(sdk::Exchange& exchange) {
    const auto entry = catalog_.load(exchange);
    if (!entry.ok()) {
        exchange.response().sendError(entry.error());
        return;
    }
    sendJson(exchange, 200, ModelCatalog::list(*entry.value()));
}

void ModelsHandler::retrieve(sdk::Exchange& exchange) {
    const auto entry = catalog_.load(exchange);
    if (!entry.ok()) {
        exchange.response().sendError(entry.error());
        return;
    }
    const std::string slug(exchange.pathParam("id").value_or(""));
    const auto model = ModelCatalog::model(*entry.value(), slug);
    if (!model) {
        exchange.response().sendError(modelNotFound(slug));
        return;
    }
    sendJson(exchange, 200, *model);
}

}  // namespace sluice::plugins::route_openai
