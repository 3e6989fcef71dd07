// The legacy /api surface of seed 002 (threads and turns by Codex id, models, open by cwd),
// on the caller's own app-server: another key's threads are not in it.

#include "family_context.hpp"
#include "sluice/plugins/common/query_string.hpp"

namespace sluice::plugins::route_appserver {

using json = nlohmann::json;

namespace {

/// The request's turn options, or nullopt after answering the error.
std::optional<TurnOptions> optionsOf(FamilyContext& context, sdk::Exchange& exchange,
                                     const json& body) {
    auto options =
        parseTurnOptions(body, context.config.defaults, context.config.allow_full_access);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&options)) {
        context.family.sendError(exchange, *error);
        return std::nullopt;
    }
    return std::get<TurnOptions>(options);
}

/// The caller's project whose workspace is `cwd`; 400 when there is none, since a thread's
/// commands run in its cwd and only project workspaces are the caller's.
std::optional<sdk::ProjectRecord> projectAt(FamilyContext& context, sdk::Exchange& exchange,
                                            const json& body) {
    const auto cwd = body.find("cwd");
    if (cwd != body.end() && cwd->is_string()) {
        if (auto project = context.service.ownedAt(owner(exchange), cwd->get<std::string>())) {
            return project;
        }
    }
    context.family.sendError(exchange,
                             badRequest("cwd must be the workspace of one of your projects", "cwd",
                                        "cwd_not_a_project"));
    return std::nullopt;
}

void listThreads(FamilyContext& context, sdk::Exchange& exchange) {
    json params = json::object();
    for (const auto& [key, value] : common::parseQuery(exchange.query())) {
        if (key == "limit") {
            params["limit"] = std::atoi(value.c_str());
        } else if (key == "cursor" || key == "cwd" || key == "searchTerm") {
            params[key] = value;
        }
    }
    answer(context, exchange, context.service.call(owner(exchange), "thread/list", params));
}

void startThread(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    auto options = optionsOf(context, exchange, *body);
    auto project = options ? projectAt(context, exchange, *body) : std::nullopt;
    if (project) {
        answer(context, exchange,
               context.service.call(owner(exchange), "thread/start",
                                    threadParams(*options, project->workspace)));
    }
}

void readThread(FamilyContext& context, sdk::Exchange& exchange) {
    const auto turns = common::queryParam(exchange.query(), "includeTurns");
    answer(context, exchange,
           context.service.call(owner(exchange), "thread/read",
                                {{"threadId", pathParam(exchange, "id")},
                                 {"includeTurns", turns == "true" || turns == "1"}}));
}

void resumeThread(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    if (auto options = optionsOf(context, exchange, *body)) {
        json params = threadParams(*options, "");
        params.erase("cwd");
        params["threadId"] = pathParam(exchange, "id");
        answer(context, exchange, context.service.call(owner(exchange), "thread/resume", params));
    }
}

void startLegacyTurn(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    auto options = optionsOf(context, exchange, *body);
    if (!options) {
        return;
    }
    const auto thread = body->find("threadId");
    if (thread == body->end() || !thread->is_string() || thread->get<std::string>().empty()) {
        context.family.sendError(exchange, badRequest("threadId is required", "threadId"));
        return;
    }
    auto input = turnInput(*body, true);
    if (auto* error = std::get_if<sdk::ErrorInfo>(&input)) {
        context.family.sendError(exchange, *error);
        return;
    }
    if (refusedForEmptyWallet(context, exchange, *body)) {
        return;
    }
    json params = turnParams(*options, thread->get<std::string>(), "", std::get<json>(input));
    params.erase("cwd");
    Reply started = context.service.call(owner(exchange), "turn/start", params);
    if (auto* result = std::get_if<json>(&started)) {
        *result = json{{"threadId", *thread},
                       {"turnId", result->value("turn", json::object()).value("id", json())},
                       {"turn", *result}};
    }
    answer(context, exchange, started);
}

void interruptLegacyTurn(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    const auto thread = body->find("threadId");
    if (thread == body->end() || !thread->is_string()) {
        context.family.sendError(exchange, badRequest("threadId is required", "threadId"));
        return;
    }
    answer(
        context, exchange,
        context.service.call(owner(exchange), "turn/interrupt",
                             {{"threadId", *thread}, {"turnId", pathParam(exchange, "turn_id")}}));
}

void listModels(FamilyContext& context, sdk::Exchange& exchange) {
    answer(context, exchange, context.service.call(owner(exchange), "model/list", json::object()));
}

void openByCwd(FamilyContext& context, sdk::Exchange& exchange) {
    auto body = readObject(context, exchange);
    if (!body) {
        return;
    }
    if (refusedForEmptyWallet(context, exchange, *body)) {
        return;
    }
    if (auto project = projectAt(context, exchange, *body)) {
        json options = *body;
        options.erase("cwd");
        answer(context, exchange, context.service.open(owner(exchange), project->id, options));
    }
}

sdk::RouteSpec legacySpec(const char* method, const char* path, const char* operation) {
    return {method, path, operation, sdk::CredentialKind::PoolKey, sdk::RouteClass::ProxyControl,
            false,  0};
}

}  // namespace

std::vector<RouteEntry> legacyRoutes() {
    return {
        {legacySpec("GET", "/threads", "appserver.legacy.threads.list"), listThreads},
        {legacySpec("POST", "/threads", "appserver.legacy.threads.start"), startThread},
        {legacySpec("GET", "/threads/{id}", "appserver.legacy.threads.read"), readThread},
        {legacySpec("POST", "/threads/{id}/resume", "appserver.legacy.threads.resume"),
         resumeThread},
        {legacySpec("POST", "/turns", "appserver.legacy.turns.start"), startLegacyTurn},
        {legacySpec("POST", "/turns/{turn_id}/interrupt", "appserver.legacy.turns.interrupt"),
         interruptLegacyTurn},
        {legacySpec("GET", "/models", "appserver.legacy.models"), listModels},
        {legacySpec("POST", "/projects/open", "appserver.legacy.projects.open"), openByCwd},
    };
}

}  // namespace sluice::plugins::route_appserver
