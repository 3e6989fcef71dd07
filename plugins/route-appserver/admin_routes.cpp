// The admin raw surface (admin token only): any app-server method, the unfiltered event stream,
// every pending server request, and process control.

#include "family_context.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

/// The `owner` (a Pool API key id) a request names; answers 400 when it is missing.
std::optional<std::string> ownerOf(FamilyContext& context, sdk::Exchange& exchange,
                                   const json& body) {
    const auto owner = body.find("owner");
    if (owner == body.end() || !owner->is_string() || owner->get<std::string>().empty()) {
        context.family.sendError(
            exchange,
            badRequest("owner (the Pool API key id whose app-server to use) is required", "owner"));
        return std::nullopt;
    }
    return owner->get<std::string>();
}

void rawRpc(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    const auto owner = ownerOf(context, exchange, *body);
    if (!owner) {
        return;
    }
    const auto method = body->find("method");
    if (method == body->end() || !method->is_string() || method->get<std::string>().empty()) {
        context.family.sendError(exchange, badRequest("method is required", "method"));
        return;
    }
    auto server = context.servers.forOwner(*owner);
    if (!server.ok()) {
        context.family.sendError(exchange, serverRefused(server.status()));
        return;
    }
    CallOutcome outcome =
        server.value()->call(method->get<std::string>(), body->value("params", json::object()));
    if (outcome.failure == CallFailure::Remote) {
        answer(
            context, exchange,
            json{{"error",
                  {{"code", outcome.code}, {"message", outcome.message}, {"data", outcome.data}}}});
        return;
    }
    answer(context, exchange,
           outcome.ok() ? Reply(json{{"result", std::move(outcome.result)}})
                        : Reply(callError(outcome)));
}

void rawEvents(FamilyContext& context, sdk::Exchange& exchange) {
    streamEvents(context, exchange, streamStart(context, exchange),
                 [](const LoggedEvent&) { return true; });
}

void listServerRequests(FamilyContext& context, sdk::Exchange& exchange) {
    json data = json::array();
    for (const auto& request : context.requests.list({}, {})) {
        json item = request.toJson();
        item["owner"] = request.owner;
        data.push_back(std::move(item));
    }
    answer(context, exchange, json{{"data", std::move(data)}});
}

void resolveServerRequest(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    const std::string id = pathParam(exchange, "id");
    auto request = context.requests.take(id);
    if (!request) {
        context.family.sendError(exchange,
                                 notFound("no pending request '" + id + "'", "request_not_found"));
        return;
    }
    answer(context, exchange, context.service.deliverAnswer(std::move(*request), *body));
}

void systemStatus(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange,
           json{{"processes", context.servers.status()},
                {"maxProcesses", context.config.max_processes},
                {"pendingServerRequests", context.requests.size()},
                {"lastEventId", context.events.lastId()}});
}

void systemStart(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    const auto owner = body ? ownerOf(context, exchange, *body) : std::nullopt;
    if (!owner) {
        return;
    }
    auto server = context.servers.forOwner(*owner);
    if (!server.ok()) {
        context.family.sendError(exchange, serverRefused(server.status()));
        return;
    }
    server.value()->start();
    answer(context, exchange, server.value()->status());
}

void systemStop(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    if (!body->contains("owner")) {
        context.servers.stopAll();
        answer(context, exchange, json{{"stopped", "all"}});
        return;
    }
    const auto owner = ownerOf(context, exchange, *body);
    if (!owner) {
        return;
    }
    AppServer* server = context.servers.find(*owner);
    if (server == nullptr) {
        context.family.sendError(exchange, notFound("no app-server for that owner"));
        return;
    }
    server->stop();
    answer(context, exchange, json{{"stopped", *owner}});
}

sdk::RouteSpec adminSpec(const char* method, const char* path, const char* operation,
                         sdk::RouteClass route_class = sdk::RouteClass::Local) {
    return {method, path, operation, sdk::CredentialKind::AdminToken, route_class, false, 0};
}

}  // namespace

std::vector<RouteEntry> adminRoutes() {
    return {
        {adminSpec("POST", "/codex/rpc", "appserver.admin.rpc"), rawRpc},
        {adminSpec("GET", "/codex/events", "appserver.admin.events", sdk::RouteClass::ProxyStream),
         rawEvents},
        {adminSpec("GET", "/server-requests", "appserver.admin.server_requests"),
         listServerRequests},
        {adminSpec("POST", "/server-requests/{id}/resolve", "appserver.admin.resolve"),
         resolveServerRequest},
        {adminSpec("GET", "/system/status", "appserver.admin.status"), systemStatus},
        {adminSpec("POST", "/system/start", "appserver.admin.start"), systemStart},
        {adminSpec("POST", "/system/stop", "appserver.admin.stop"), systemStop},
    };
}

}  // namespace sluice::plugins::route_appserver
