#include "codex_backend_family.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "catalog_filter.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/file_owners.hpp"
#include "sluice/plugins/common/query_string.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"
#include "sluice/plugins/common/requests.hpp"

namespace sluice::plugins::route_codex {

namespace {

using sdk::CredentialKind;
using sdk::RouteClass;

constexpr std::string_view kV1 = "/v1";

// Every route, each also served under /v1 for clients configured with .../backend-api/codex/v1.
struct Route {
    const char* method;
    const char* path;
    const char* operation;
    RouteClass route_class;
};

constexpr Route kRoutes[] = {
    {"GET", "/models", "codex.models", RouteClass::ProxyHttp},
    {"POST", "/responses", "codex.responses", RouteClass::ProxyStream},
    {"GET", "/responses", "codex.responses_websocket", RouteClass::ProxyWebsocket},
    {"POST", "/responses/compact", "codex.compact", RouteClass::ProxyCompact},
    {"POST", "/images/generations", "codex.images", RouteClass::ProxyHttp},
    {"POST", "/images/edits", "codex.images", RouteClass::ProxyHttp},
    {"GET", "/thread/goal/get", "codex.control", RouteClass::ProxyControl},
    {"POST", "/thread/goal/get", "codex.control", RouteClass::ProxyControl},
    {"POST", "/thread/goal/set", "codex.control", RouteClass::ProxyControl},
    {"POST", "/thread/goal/clear", "codex.control", RouteClass::ProxyControl},
    {"POST", "/analytics-events/events", "codex.control", RouteClass::ProxyControl},
    {"POST", "/memories/trace_summarize", "codex.control", RouteClass::ProxyControl},
    {"POST", "/alpha/search", "codex.control", RouteClass::ProxyControl},
    {"POST", "/safety/arc", "codex.control", RouteClass::ProxyControl},
    {"GET", "/agent-identities/jwks", "codex.control", RouteClass::ProxyControl},
    {"POST", "/realtime/calls", "codex.control", RouteClass::ProxyControl},
};

bool endsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

}  // namespace

CodexBackendFamily::CodexBackendFamily(CodexConfig config, sdk::HostServices& host)
    : config_(std::move(config)),
      host_(host),
      logger_(host.logger("route-codex")),
      models_(config_.upstream_path + "/models?client_version=" + config_.client_version,
              config_.models_cache_ttl) {}

std::vector<sdk::RouteSpec> CodexBackendFamily::routes() const {
    std::vector<sdk::RouteSpec> specs;
    for (const Route& route : kRoutes) {
        specs.push_back({route.method, route.path, route.operation, CredentialKind::PoolKey,
                         route.route_class});
        specs.push_back({route.method, std::string(kV1) + route.path, route.operation,
                         CredentialKind::PoolKey, route.route_class});
    }
    return specs;
}

std::string CodexBackendFamily::upstreamPath(const sdk::Exchange& exchange) const {
    // Routes are matched by suffix so that any mount (and the /v1 aliases) maps to the same
    // upstream route.
    const std::string_view path = exchange.path();
    for (const Route& route : kRoutes) {
        if (endsWith(path, route.path)) {
            return config_.upstream_path + route.path;
        }
    }
    return config_.upstream_path;
}

void CodexBackendFamily::sendError(sdk::Exchange& exchange, const sdk::ErrorInfo& error) noexcept {
    exchange.response().sendError(error);
}

void CodexBackendFamily::handle(sdk::Exchange& exchange) noexcept {
    try {
        const std::string_view operation = exchange.operation();
        if (operation == "codex.responses") {
            handleResponses(exchange, false);
        } else if (operation == "codex.responses_websocket") {
            handleWebSocket(exchange);
        } else if (operation == "codex.compact") {
            handleResponses(exchange, true);
        } else if (operation == "codex.models") {
            handleModels(exchange);
        } else if (operation == "codex.images") {
            handleProxy(exchange, RouteClass::ProxyHttp);
        } else {
            handleProxy(exchange, RouteClass::ProxyControl);
        }
    } catch (const std::exception& e) {
        logger_.error("handler_failed",
                      {{"operation", exchange.operation()}, {"reason", e.what()}});
        if (!exchange.response().started()) {
            sendError(exchange, {500, "server_error", "internal_error",
                                 "the gateway failed to handle the request", "", 0, ""});
        }
    }
}

void CodexBackendFamily::handleResponses(sdk::Exchange& exchange, bool compact) {
    const auto body = common::readJsonObject(exchange, *this);
    if (!body) {
        return;
    }
    const auto model = body->find("model");
    if (model == body->end() || !model->is_string() || model->get<std::string>().empty()) {
        sendError(exchange, common::invalidRequest("'model' is required", "model"));
        return;
    }
    if (!knownModel(exchange, model->get<std::string>())) {
        return;
    }
    const bool stream = !compact && body->value("stream", false);

    sdk::DispatchRequest request;
    request.method = "POST";
    request.path = upstreamPath(exchange);
    request.headers = common::forwardable(exchange, config_.forward_headers);
    request.body = *exchange.readBody();
    request.model = model->get<std::string>();
    request.route_class = compact  ? RouteClass::ProxyCompact
                          : stream ? RouteClass::ProxyStream
                                   : RouteClass::ProxyHttp;
    request.event_stream = stream;
    request.allow_failover = !compact;  // a compaction is never replayed on another account
    request.session_key = common::sessionKey(exchange);
    if (const auto key = body->find("prompt_cache_key"); key != body->end() && key->is_string()) {
        request.prompt_cache_key = key->get<std::string>();
    }
    if (const auto previous = body->find("previous_response_id");
        previous != body->end() && previous->is_string()) {
        request.previous_response_id = previous->get<std::string>();
    }
    // Files uploaded through /backend-api/files exist only on the account that created them.
    if (auto error = common::pinToFileOwner(exchange.gateway(), *body, request)) {
        sendError(exchange, *error);
        return;
    }

    if (stream) {
        common::SseRelaySink sink(exchange.response());
        const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(request, sink);
        if (outcome.status == sdk::DispatchStatus::Rejected) {
            common::answerRejected(exchange, *this, outcome, true);
        } else if (outcome.status == sdk::DispatchStatus::Interrupted) {
            // Never a clean end: a typed failure the Codex client classifies as retryable.
            nlohmann::json failed{
                {"type", "response.failed"},
                {"response",
                 {{"id", sink.responseId()},
                  {"status", "failed"},
                  {"error", {{"code", outcome.error.code}, {"message", outcome.error.message}}}}}};
            exchange.response().write("event: response.failed\ndata: " + failed.dump() + "\n\n");
            exchange.response().flush();
        }
        return;
    }
    common::BodyRelaySink sink(exchange.response());
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        common::answerRejected(exchange, *this, outcome, true);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted) {
        exchange.response().abort();
    }
}

void CodexBackendFamily::handleWebSocket(sdk::Exchange& exchange) {
    const auto upgrade = exchange.header("upgrade");
    if (!upgrade || !sdk::equalsIgnoreCase(*upgrade, "websocket")) {
        sendError(exchange, {426, "invalid_request_error", "upgrade_required",
                             "GET on this route opens a websocket; send POST for HTTP", "", 0, ""});
        return;
    }
    sdk::DispatchRequest request;
    request.method = "GET";
    request.path = upstreamPath(exchange);
    request.headers = common::forwardable(exchange, config_.forward_headers);
    request.route_class = RouteClass::ProxyWebsocket;
    request.session_key = common::sessionKey(exchange);
    const sdk::DispatchOutcome outcome = exchange.gateway().relayWebSocket(request, exchange);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        common::answerRejected(exchange, *this, outcome, true);
    }
}

common::ModelsCache::EntryPtr CodexBackendFamily::catalog(sdk::Exchange& exchange) {
    const auto unix_now =
        std::chrono::duration_cast<std::chrono::seconds>(host_.clock().now().time_since_epoch())
            .count();
    common::ModelsCache::Fetch fetched =
        models_.fetch(exchange, host_.clock().steadyNow(), unix_now);
    if (!fetched.entry) {
        if (fetched.outcome.status == sdk::DispatchStatus::Rejected) {
            common::answerRejected(exchange, *this, fetched.outcome, true);
        } else {
            sendError(exchange, {502, "server_error", "upstream_failed",
                                 "the model catalog could not be fetched", "", 0, ""});
        }
    }
    return std::move(fetched.entry);
}

bool CodexBackendFamily::knownModel(sdk::Exchange& exchange, const std::string& model) {
    const common::ModelsCache::EntryPtr entry = catalog(exchange);
    if (!entry) {
        return false;
    }
    if (entry->find(model) == nullptr) {
        sendError(exchange,
                  {400, "invalid_request_error", "model_not_available",
                   "the model '" + model + "' is not in this pool's catalog", "model", 0, ""});
        return false;
    }
    return true;
}

void CodexBackendFamily::handleModels(sdk::Exchange& exchange) {
    const common::ModelsCache::EntryPtr fetched = catalog(exchange);
    if (!fetched) {
        return;
    }
    const common::ModelsCache::Entry& entry = *fetched;
    // Each client gets the entries it can decode, with a tag of its own view.
    const std::optional<std::string> version =
        common::queryParam(exchange.query(), "client_version");
    const std::string body =
        catalogFor(entry.body, clientVersionOf(version, exchange.header("user-agent")));
    const std::string etag = body == entry.body ? entry.etag : common::ModelsCache::weakTag(body);
    if (const auto match = exchange.header("if-none-match"); match && *match == etag) {
        exchange.response().send(304, {{"ETag", etag}}, "");
        return;
    }
    exchange.response().send(200, {{"Content-Type", "application/json"}, {"ETag", etag}}, body);
}

void CodexBackendFamily::handleProxy(sdk::Exchange& exchange, sdk::RouteClass route_class) {
    const auto body = exchange.readBody();
    if (!body) {
        return;
    }
    sdk::DispatchRequest request;
    request.method = std::string(exchange.method());
    request.path = upstreamPath(exchange);
    if (!exchange.query().empty()) {
        request.path += "?" + std::string(exchange.query());
    }
    request.headers = common::forwardable(exchange, config_.forward_headers);
    const std::string content_type(exchange.header("content-type").value_or("application/json"));
    request.headers.push_back({"Content-Type", content_type});
    request.body = *body;
    request.route_class = route_class;
    if (content_type.find("json") != std::string::npos) {
        // The model, when a JSON body names one, scopes circuits and the request log.
        const auto document = common::parseJson(request.body);
        if (document.is_object() && document.contains("model") && document["model"].is_string()) {
            request.model = document["model"].get<std::string>();
        }
    }
    request.session_key = common::sessionKey(exchange);
    common::BodyRelaySink sink(exchange.response());
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        common::answerRejected(exchange, *this, outcome, true);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted) {
        exchange.response().abort();
    }
}

}  // namespace sluice::plugins::route_codex
