#include "openai_exchange.hpp"

#include <chrono>

#include "json_access.hpp"
#include "openai_errors.hpp"
#include "sluice/plugins/common/requests.hpp"

namespace sluice::plugins::route_openai {

void sendJson(sdk::Exchange& exchange, int status, const nlohmann::json& body) {
    exchange.response().send(status, {{"Content-Type", "application/json"}},
                             body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::optional<nlohmann::json> readJsonBody(sdk::Exchange& exchange) {
    const auto body = exchange.readBody();
    if (!body) {
        return std::nullopt;
    }
    nlohmann::json document = parseJson(*body);
    if (!document.is_object()) {
        exchange.response().sendError(invalidRequest(
            "The request body must be a JSON object nested at most " + std::to_string(kMaxJsonDepth) + " levels."));
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

std::optional<std::string> queryParam(std::string_view query, std::string_view name) {
    const auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    };
    while (!query.empty()) {
        const std::size_t end = query.find('&');
        const std::string_view pair = query.substr(0, end);
        query = end == std::string_view::npos ? std::string_view() : query.substr(end + 1);
        const std::size_t equals = pair.find('=');
        if (pair.substr(0, equals) != name) {
            continue;
        }
        const std::string_view raw = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
        std::string value;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '+') {
                value += ' ';
            } else if (raw[i] == '%' && i + 2 < raw.size() && hex(raw[i + 1]) >= 0 && hex(raw[i + 2]) >= 0) {
                value += static_cast<char>(hex(raw[i + 1]) * 16 + hex(raw[i + 2]));
                i += 2;
            } else {
                value += raw[i];
            }
        }
        return value;
    }
    return std::nullopt;
}

void answerFailure(sdk::Exchange& exchange, const sdk::DispatchOutcome& outcome) {
    exchange.response().sendError(redactedFailure(outcome));
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
    return std::chrono::duration_cast<std::chrono::seconds>(context.host.clock().now().time_since_epoch()).count();
}

sdk::DispatchRequest turnRequest(const OpenAiContext& context, const sdk::Exchange& exchange, std::string_view body,
                                 const std::string& model, bool client_stream) {
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

}  // namespace sluice::plugins::route_openai
