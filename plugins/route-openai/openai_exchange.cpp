#include "openai_exchange.hpp"

#include <chrono>

#include "collected_turn.hpp"
#include "json_access.hpp"
#include "openai_errors.hpp"
#include "sluice/plugins/common/file_owners.hpp"
#include "sluice/plugins/common/requests.hpp"
#include "sluice/sdk/json_limits.hpp"

namespace sluice::plugins::route_openai {

void sendJson(sdk::Exchange& exchange, int status, const nlohmann::json& body,
              const sdk::Headers& extra) {
    sdk::Headers headers{{"Content-Type", "application/json"}};
    headers.insert(headers.end(), extra.begin(), extra.end());
    exchange.response().send(status, headers,
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<nlohmann::json> readJsonBody(sdk::Exchange& exchange) {
    const auto body = exchange.readBody();
    if (!body) {
        return std::nullopt;
    }
    nlohmann::json document = parseJson(*body);
    if (!document.is_object()) {
        exchange.response().sendError(
            invalidRequest("The request body must be a JSON object nested at most " +
                           std::to_string(sdk::kMaxJsonDepth) + " levels."));
        return std::nullopt;
    }
    return document;
}

std::optional<MultipartForm> readForm(sdk::Exchange& exchange) {
    const auto body = exchange.readBody();
    if (!body) {
        return std::nullopt;
    }
    auto form = MultipartForm::parse(exchange.header("content-type").value_or(""), *body);
    if (!form.ok()) {
        exchange.response().sendError(form.error());
        return std::nullopt;
    }
    return std::move(form).value();
}

void answerFailure(sdk::Exchange& exchange, const sdk::DispatchOutcome& outcome) {
    exchange.response().sendError(redactedFailure(outcome));
}

std::optional<nlohmann::json> collectAnswer(const OpenAiContext& context, sdk::Exchange& exchange,
                                            const sdk::DispatchRequest& request,
                                            sdk::Headers& kept) {
    sdk::DispatchOutcome outcome;
    auto response =
        collectTurn(exchange.gateway(), request, context.config.max_response_bytes, outcome, kept);
    if (!response.ok()) {
        exchange.response().sendError(response.error());
        return std::nullopt;
    }
    return std::move(response).value();
}

std::string newId(OpenAiContext& context, std::string_view prefix) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string id(prefix);
    for (int round = 0; round < 2; ++round) {
        std::uint64_t bits = context.host.random().next();
        for (int i = 0; i < 12; ++i) {
            id += kDigits[bits & 15];
            bits >>= 4;
        }
    }
    return id;
}

std::int64_t unixNow(const OpenAiContext& context) {
    return std::chrono::duration_cast<std::chrono::seconds>(
               context.host.clock().now().time_since_epoch())
        .count();
}

sdk::DispatchRequest turnRequest(const OpenAiContext& context, const sdk::Exchange& exchange,
                                 std::string_view body, const std::string& model,
                                 bool client_stream) {
    sdk::DispatchRequest request;
    request.method = "POST";
    request.path = context.config.codex_path + "/responses";
    request.headers = common::forwardable(exchange, context.config.forward_headers);
    request.headers.push_back({"Content-Type", "application/json"});
    request.body = body;
    request.model = model;
    // Admission and circuits follow what the client waits for: a stream, or one answer.
    request.route_class = client_stream ? sdk::RouteClass::ProxyStream : sdk::RouteClass::ProxyHttp;
    request.event_stream = true;  // the backend is always asked for a stream
    request.session_key = common::sessionKey(exchange);
    return request;
}

bool prepareTurn(const OpenAiContext& context, ModelCatalog& catalog, sdk::Exchange& exchange,
                 const TurnCall& call, PreparedTurn& turn) {
    if (auto error = catalog.check(exchange, call.model)) {
        exchange.response().sendError(*error);
        return false;
    }
    turn.body = call.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    turn.request = turnRequest(context, exchange, turn.body, call.model, call.client_stream);
    turn.request.prompt_cache_key = call.prompt_cache_key;
    const auto input = call.body.find("input");
    if (auto error = common::pinToFileOwner(exchange.gateway(),
                                            input != call.body.end() ? *input : nlohmann::json(),
                                            turn.request)) {
        exchange.response().sendError(*error);
        return false;
    }
    return true;
}

}  // namespace sluice::plugins::route_openai
