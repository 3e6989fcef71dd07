#include "wham_handler.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "backend_routes.hpp"
#include "sluice/plugins/common/bounded_json.hpp"
#include "sluice/plugins/common/relay_sinks.hpp"
#include "sluice/plugins/common/requests.hpp"
#include "sluice/sdk/json_limits.hpp"
#include "upstream_calls.hpp"

namespace sluice::plugins::route_backend {

namespace {

using json = nlohmann::json;

// The id the pool's settings are remembered under in BackendContext::settings.
constexpr const char* kSettingsDocument = "settings";

std::string stringAt(const json& object, const char* key) {
    if (!object.is_object()) {
        return {};
    }
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A created task's id: task.id, else a top-level id (codex backend-client does the same).
std::string createdTaskId(const json& bundle) {
    std::string id =
        bundle.is_object() && bundle.contains("task") ? stringAt(bundle["task"], "id") : "";
    return id.empty() ? stringAt(bundle, "id") : id;
}

}  // namespace

std::optional<sdk::DispatchRequest> WhamHandler::forwarded(sdk::Exchange& exchange) const {
    const auto body = exchange.readBody();
    if (!body) {
        return std::nullopt;
    }
    if (!sdk::jsonDepthWithin(*body)) {
        // The upstream would parse what the gateway forwards: refuse what the gateway would.
        family_.sendError(exchange,
                          common::invalidRequest("the request body must be JSON nested at most " +
                                                 std::to_string(sdk::kMaxJsonDepth) + " levels"));
        return std::nullopt;
    }
    sdk::DispatchRequest request;
    request.method = std::string(exchange.method());
    request.path =
        upstreamPathOf(context_.config, exchange.path()).rawQuery(exchange.query()).str();
    request.headers = common::forwardable(exchange, context_.config.forward_headers);
    if (!body->empty()) {
        request.headers.push_back(
            {"Content-Type",
             std::string(exchange.header("content-type").value_or("application/json"))});
    }
    request.body = *body;
    request.route_class = sdk::RouteClass::ProxyHttp;
    request.session_key = common::sessionKey(exchange);
    return request;
}

std::optional<std::string> WhamHandler::ownerOf(sdk::Exchange& exchange, OwnerMap& owners,
                                                const std::string& id, const char* kind) {
    const std::string& pool = exchange.principal().pool;
    if (auto known = owners.owner(pool, id)) {
        return known;
    }
    const sdk::TimePoint now = context_.host.clock().now();
    if (!owners.knownMissing(pool, id, now)) {
        if (auto found = probeOwner(exchange, owners, id, kind, now)) {
            return found;
        }
    }
    family_.sendError(
        exchange,
        {404, "invalid_request_error", std::string(kind) + "_not_found",
         "no account of this pool has " + std::string(kind) + " '" + id + "'", "", 0, ""});
    return std::nullopt;
}

std::optional<std::string> WhamHandler::probeOwner(sdk::Exchange& exchange, OwnerMap& owners,
                                                   const std::string& id, const char* kind,
                                                   sdk::TimePoint now) {
    const std::string& pool = exchange.principal().pool;
    std::vector<std::string> accounts = eligibleAccounts(exchange.gateway());
    accounts.resize(std::min(accounts.size(), context_.config.owner_probe_limit));
    bool every_answer_not_found = true;
    for (const std::string& account : accounts) {
        sdk::DispatchRequest probe;
        probe.method = "GET";
        probe.path = sdk::UpstreamPath(context_.config.upstream_path + "/wham")
                         .segment(std::string(kind) + "s")
                         .segment(id)
                         .str();
        probe.route_class = sdk::RouteClass::ProxyHttp;
        probe.pinned_account = account;
        probe.pin_reason = "wham_owner";
        probe.allow_failover = false;
        const Collected answer = collect(exchange.gateway(), probe);
        if (answer.ok()) {
            owners.remember(pool, id, account);
            return account;
        }
        // A refused answer is in the outcome; the sink's head holds only what was relayed.
        const int status =
            answer.outcome.upstream.status > 0 ? answer.outcome.upstream.status : answer.status;
        every_answer_not_found = every_answer_not_found && status == 404;
    }
    // Only a definite "not here" from every account asked is worth remembering: an account
    // that failed or was unreachable may still have it.
    if (every_answer_not_found) {
        owners.rememberMissing(pool, id, now + context_.config.owner_miss_ttl);
    }
    return std::nullopt;
}

void WhamHandler::createTask(sdk::Exchange& exchange) {
    auto request = forwarded(exchange);
    if (!request) {
        return;
    }
    // An environment exists only on its account (or workspace), so the task must start there.
    const json body = common::parseJson(request->body);
    const std::string environment = body.is_object() && body.contains("new_task")
                                        ? stringAt(body["new_task"], "environment_id")
                                        : "";
    if (!environment.empty()) {
        if (auto owner = context_.environments.owner(exchange.principal().pool, environment)) {
            request->pinned_account = *owner;
            request->pin_reason = "wham_owner";
        }
    }
    const Collected created = collect(exchange.gateway(), *request);
    if (created.ok()) {
        const std::string id = createdTaskId(created.json());
        context_.tasks.remember(exchange.principal().pool, id, created.outcome.account_id);
        context_.logger.info("task_created",
                             {{"task", id}, {"account", created.outcome.account_id}});
    }
    answerCollected(exchange, family_, created);
}

std::optional<sdk::DispatchRequest> WhamHandler::forwardedToOwner(sdk::Exchange& exchange,
                                                                  OwnerMap& owners,
                                                                  const char* id_param,
                                                                  const char* kind) {
    auto request = forwarded(exchange);
    if (!request) {
        return std::nullopt;
    }
    const std::string id(exchange.pathParam(id_param).value_or(""));
    const auto owner = ownerOf(exchange, owners, id, kind);
    if (!owner) {
        return std::nullopt;
    }
    request->pinned_account = *owner;
    request->pin_reason = "wham_owner";
    return request;
}

void WhamHandler::task(sdk::Exchange& exchange) {
    if (auto request = forwardedToOwner(exchange, context_.tasks, "task_id", "task")) {
        relay(exchange, family_, *request);
    }
}

void WhamHandler::taskStream(sdk::Exchange& exchange) {
    if (auto request = forwardedToOwner(exchange, context_.tasks, "task_id", "task")) {
        relayStream(exchange, *request);
    }
}

void WhamHandler::proxyStream(sdk::Exchange& exchange) {
    if (auto request = forwarded(exchange)) {
        relayStream(exchange, *request);
    }
}

void WhamHandler::relayStream(sdk::Exchange& exchange, sdk::DispatchRequest& request) {
    // A control-plane stream: complete when its body ends, with no Responses final event.
    request.route_class = sdk::RouteClass::ProxyControl;
    request.event_stream = true;
    common::SseRelaySink sink(exchange.response());
    const sdk::DispatchOutcome outcome = exchange.gateway().dispatch(request, sink);
    if (outcome.status == sdk::DispatchStatus::Rejected) {
        common::answerRejected(exchange, family_, outcome, true);
    } else if (outcome.status == sdk::DispatchStatus::Interrupted) {
        // Never a clean end: the client must see that the stream broke.
        const json error{{"code", outcome.error.code}, {"message", outcome.error.message}};
        exchange.response().write("event: error\ndata: " + error.dump() + "\n\n");
        exchange.response().flush();
    }
}

void WhamHandler::environment(sdk::Exchange& exchange) {
    if (auto request =
            forwardedToOwner(exchange, context_.environments, "environment_id", "environment")) {
        relay(exchange, family_, *request);
    }
}

void WhamHandler::settings(sdk::Exchange& exchange) {
    auto request = forwarded(exchange);
    if (!request) {
        return;
    }
    request->route_class = sdk::RouteClass::ProxyControl;
    request->session_key.clear();  // one document per pool, whatever session the client is in
    const std::string& pool = exchange.principal().pool;
    if (const auto holder = context_.settings.owner(pool, kSettingsDocument)) {
        const std::vector<std::string> eligible = eligibleAccounts(exchange.gateway());
        if (std::find(eligible.begin(), eligible.end(), *holder) != eligible.end()) {
            request->pinned_account = *holder;
            request->pin_reason = "wham_settings";
        }
    }
    // Collected, not relayed: the holder is remembered before the client has the answer, so a
    // read sent the moment a PATCH returns finds the account that took it.
    const Collected answer = collect(exchange.gateway(), *request);
    if (answer.outcome.status == sdk::DispatchStatus::Completed &&
        !answer.outcome.account_id.empty()) {
        context_.settings.remember(pool, kSettingsDocument, answer.outcome.account_id);
    }
    answerCollected(exchange, family_, answer);
}

void WhamHandler::proxy(sdk::Exchange& exchange) {
    if (auto request = forwarded(exchange)) {
        request->route_class = sdk::RouteClass::ProxyControl;
        relay(exchange, family_, *request);
    }
}

}  // namespace sluice::plugins::route_backend
